-- Who and where: one row.
-- Row: version_num, version, database, current_user
SELECT current_setting('server_version_num')::int4 AS version_num,
       current_setting('server_version') AS version,
       current_database() AS database,
       current_user::text AS "current_user";
