-- The indicators a ministry scope reads (data/access.py): those owned by its
-- agencies or in its sectors (';'-separated lists).
SELECT code FROM indicators
WHERE list_contains(string_split($agencies, ';'), owner)
   OR list_contains(string_split($sectors, ';'), sector)
