-- Meetings scheduled with `/zoom schedule`: when they start (unix ms, UTC),
-- for how long (minutes) and in which time zone they were written; when
-- Zoom said they were deleted; the host's passcode when the card shows it
-- (sealed); the language the card speaks; and the reminder's `ts` once
-- posted in the card's thread.
ALTER TABLE meetings ADD COLUMN starts_at BIGINT;
ALTER TABLE meetings ADD COLUMN duration_minutes BIGINT;
ALTER TABLE meetings ADD COLUMN time_zone TEXT;
ALTER TABLE meetings ADD COLUMN cancelled_at BIGINT;
ALTER TABLE meetings ADD COLUMN passcode_sealed BYTEA;
ALTER TABLE meetings ADD COLUMN lang TEXT;
ALTER TABLE meetings ADD COLUMN reminder_ts TEXT;
