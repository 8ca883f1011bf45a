-- Statement logging that writes statement texts (and so the secrets in them) to the log.
-- Row: log_statement, log_min_duration_statement
SELECT current_setting('log_statement') AS log_statement,
       current_setting('log_min_duration_statement') AS log_min_duration_statement;
