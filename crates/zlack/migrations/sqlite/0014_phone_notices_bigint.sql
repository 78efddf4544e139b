-- Nothing changes on SQLite, whose INTEGER already holds 64-bit values:
-- PostgreSQL's `phone_notices` becomes BIGINT to match, and both trees
-- keep the same versions. (One harmless statement, so the file is not empty.)
SELECT 1;
