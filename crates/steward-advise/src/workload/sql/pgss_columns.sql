-- The columns of the installed pg_stat_statements view ($1: its qualified name), which
-- differ by extension version.
SELECT attname::text
  FROM pg_attribute
 WHERE attrelid = $1::text::regclass AND attnum > 0 AND NOT attisdropped
 ORDER BY attnum
