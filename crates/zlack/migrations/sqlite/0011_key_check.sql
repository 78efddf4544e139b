-- Facts about the database itself. `key_check` holds a value sealed with
-- the encryption key when the database was first served: a process
-- started with another key finds it will not open and refuses to start,
-- instead of serving while no stored secret opens.
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
