-- read_raw: every field of a CSV export as text, numbered by data row.
-- Grain: one row per data line (the header and the lines above it skipped).
-- Columns: source_row (1-based, header excluded), then one VARCHAR per column of $columns.
-- Params: $path, $skip (lines before the first data line), $delimiter, $columns (name -> 'VARCHAR').
SELECT
    row_number() OVER () AS source_row,
    *
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
