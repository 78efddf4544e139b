-- Every integer column is BIGINT, as SQLite's INTEGER holds any 64-bit
-- value; this one was created as a 32-bit INTEGER.
ALTER TABLE workspaces ALTER COLUMN phone_notices TYPE BIGINT;
