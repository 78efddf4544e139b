-- Link unfurls and whiteboard notices.

-- A hash of a recording's share link (without its query), so a pasted
-- recording link finds the meeting it belongs to.
ALTER TABLE occurrences ADD COLUMN recording_key TEXT;
CREATE INDEX occurrences_by_recording ON occurrences (recording_key);

-- Whiteboards Zoom said were deleted: their links unfurl without metadata.
CREATE TABLE deleted_whiteboards (
    whiteboard_id   TEXT    PRIMARY KEY,
    deleted_at      BIGINT NOT NULL
);

-- Who was told that a whiteboard was shared with them, in which role: a
-- share Zoom repeats, however much later, tells nobody twice.
CREATE TABLE whiteboard_shares (
    whiteboard_id   TEXT    NOT NULL,
    team_id         TEXT    NOT NULL,
    slack_user_id   TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (whiteboard_id, team_id, slack_user_id, role)
);
