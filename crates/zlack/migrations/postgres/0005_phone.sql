-- Zoom Phone notices: one row per Slack user and call (or recording),
-- folded from Zoom's phone webhooks whatever their order and however often
-- they come. `state` is sealed (numbers and names are personal data).
-- `queued` is set once the DM's job is queued, so a repeat, however much
-- later, queues nothing.
CREATE TABLE phone_notices (
    team_id         TEXT    NOT NULL,
    slack_user_id   TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    zoom_user_id    TEXT    NOT NULL,
    state           BYTEA    NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    PRIMARY KEY (team_id, slack_user_id, subject)
);
CREATE INDEX phone_notices_by_zoom_user ON phone_notices (zoom_user_id);
CREATE INDEX phone_notices_by_age ON phone_notices (created_at);

-- The linked Zoom user's personal meeting (sealed: its link carries the
-- passcode), kept from the last time Zoom was asked, so the Call button can
-- still answer Slack in time when creating a meeting at Zoom is slow.
ALTER TABLE zoom_links ADD COLUMN personal_room BYTEA;

-- Whether the workspace's admins let zlack send Zoom Phone DMs (1) or
-- turned them off for everyone (0).
ALTER TABLE workspaces ADD COLUMN phone_notices INTEGER NOT NULL DEFAULT 1;
