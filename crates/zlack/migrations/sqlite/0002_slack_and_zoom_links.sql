-- Slack workspaces (or Enterprise Grid orgs, for org-wide installs) that
-- installed zlack. Their bot tokens live in `tokens`.
CREATE TABLE workspaces (
    team_id               TEXT    PRIMARY KEY,
    enterprise_id         TEXT,
    team_name             TEXT,
    bot_user_id           TEXT    NOT NULL,
    is_enterprise_install INTEGER NOT NULL DEFAULT 0,
    installed_by          TEXT,
    installed_at          INTEGER NOT NULL
);

-- One-time references: OAuth `state` values and the signed links of the
-- Zoom authorize prompt. Only a hash of the secret part is stored.
CREATE TABLE grants (
    id           TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL,
    browser_hash TEXT,
    payload      BLOB    NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER
);

-- A Slack user's Zoom identity.
CREATE TABLE zoom_links (
    team_id          TEXT    NOT NULL,
    slack_user_id    TEXT    NOT NULL,
    zoom_user_id     TEXT    NOT NULL,
    zoom_email       TEXT,
    zoom_account_id  TEXT,
    status           TEXT    NOT NULL,
    linked_at        INTEGER NOT NULL,
    PRIMARY KEY (team_id, slack_user_id)
);
CREATE INDEX zoom_links_by_zoom_user ON zoom_links (zoom_user_id);

-- Per-user settings from `/zoom config`, as JSON.
CREATE TABLE user_settings (
    team_id       TEXT    NOT NULL,
    slack_user_id TEXT    NOT NULL,
    settings      TEXT    NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (team_id, slack_user_id)
);

-- Slack profile facts zlack needs (locale, time zone, name), cached.
CREATE TABLE slack_users (
    team_id      TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    locale       TEXT,
    tz           TEXT,
    fetched_at   INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

-- Named leases held across processes, e.g. one token refresh at a time.
CREATE TABLE leases (
    name   TEXT    PRIMARY KEY,
    holder TEXT    NOT NULL,
    until  INTEGER NOT NULL
);

-- Meetings announced in Slack, with everything later updates need.
CREATE TABLE meetings (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    request_key             TEXT    NOT NULL UNIQUE,
    team_id                 TEXT    NOT NULL,
    channel_id              TEXT    NOT NULL,
    host_slack_user_id      TEXT    NOT NULL,
    origin                  TEXT    NOT NULL,
    zoom_meeting_id         INTEGER,
    zoom_uuid               TEXT,
    topic                   TEXT,
    join_url                TEXT,
    call_id                 TEXT,
    message_ts              TEXT,
    posted_via              TEXT,
    response_url            BLOB,
    response_url_expires_at INTEGER,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);
CREATE INDEX meetings_by_zoom_id ON meetings (zoom_meeting_id);

-- The backlog gauge counts unprocessed rows on every scrape.
CREATE INDEX inbox_backlog ON inbox (id) WHERE processed_at IS NULL;
CREATE INDEX jobs_done ON jobs (updated_at) WHERE status = 'done';
