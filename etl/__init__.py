"""The ETL: the only part of the system that writes to the warehouse."""
