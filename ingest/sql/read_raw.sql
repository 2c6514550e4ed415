-- read_raw: every field of a CSV export as text, in file order (ingest/load.py numbers the rows).
-- Grain: one row per data line (the header and the lines above it skipped).
-- Columns: one VARCHAR per column of $columns.
-- Params: $path, $skip (lines before the first data line), $delimiter, $columns (name -> 'VARCHAR').
SELECT *
FROM read_csv(
    $path,
    header = false,
    skip = $skip,
    delim = $delimiter,
    quote = '"',
    escape = '"',
    null_padding = true,
    auto_detect = false,
    compression = 'none',  -- never guessed from the file name: a text file named *.zip or *.gz is text
    columns = $columns
)
