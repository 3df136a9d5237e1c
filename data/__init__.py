"""The read-only data layer: the only way pages and the API reach the warehouse."""
