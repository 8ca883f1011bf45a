-- Whether the server offers TLS, and where it listens.
-- Row: ssl, listen_addresses
SELECT current_setting('ssl') AS ssl,
       current_setting('listen_addresses') AS listen_addresses;
