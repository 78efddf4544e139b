-- The life of each meeting occurrence after it was announced.

-- Where the announcement may be answered: the org of an Enterprise Grid
-- install, and what kind of conversation it was typed in.
ALTER TABLE meetings ADD COLUMN enterprise_id TEXT;
ALTER TABLE meetings ADD COLUMN conversation_kind TEXT;
-- The occurrence whose end ended the announcement's Slack Call.
ALTER TABLE meetings ADD COLUMN call_ended_by INTEGER;
CREATE INDEX meetings_by_conversation ON meetings (zoom_meeting_id, team_id, channel_id, id);

-- One row per Zoom occurrence (meeting UUID) and conversation it was
-- announced in, bound to the newest announcement there while that one is
-- current (see `Store::bind_occurrences`). `state` is the sealed MeetingState;
-- `call_shown` the participants the Slack Call shows (JSON); `ended_at`
-- when zlack learnt that the occurrence ended.
CREATE TABLE occurrences (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    zoom_uuid       TEXT    NOT NULL,
    team_id         TEXT    NOT NULL,
    channel_id      TEXT    NOT NULL,
    zoom_host_id    TEXT,
    state           BLOB,
    call_shown      TEXT    NOT NULL DEFAULT '[]',
    ended_at        INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (zoom_uuid, team_id, channel_id)
);
CREATE INDEX occurrences_by_meeting ON occurrences (meeting_id);

-- Each notice delivered for an occurrence, so none goes out twice, and
-- where it went, so a later change can update it.
CREATE TABLE notices (
    occurrence_id   INTEGER NOT NULL REFERENCES occurrences (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    delivery        TEXT    NOT NULL,
    channel_id      TEXT,
    message_ts      TEXT,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (occurrence_id, kind)
);

-- Where recording links and AI summaries go: conversation, host, nowhere.
ALTER TABLE workspaces ADD COLUMN recording_policy TEXT NOT NULL DEFAULT 'conversation';
