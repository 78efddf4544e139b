-- Status sync: for each Slack user who turned it on, what Zoom last said
-- about their presence and what zlack did with their Slack status. One row
-- per user; the job that changes the status rewrites it under `version`.
CREATE TABLE status_sync (
    team_id       TEXT    NOT NULL,
    slack_user_id TEXT    NOT NULL,
    -- The latest presence Zoom announced: in_meeting, presenting, on_call
    -- or available (anything else Zoom says counts as available).
    presence      TEXT    NOT NULL,
    -- That event's own time (payload.object.date_time), in milliseconds
    -- since the epoch: older events change nothing.
    event_at      INTEGER  NOT NULL,
    -- The webhook's event_ts, in milliseconds: orders two changes Zoom
    -- dates in the same second.
    event_ts      INTEGER  NOT NULL,
    -- idle: zlack shows nothing; setting: about to show its status;
    -- shown: its status is on; yielded: the user changed it meanwhile.
    phase         TEXT    NOT NULL,
    -- The status zlack set, to tell it from one the user set.
    shown_text    TEXT,
    shown_emoji   TEXT,
    -- The user's status before zlack's, sealed like tokens.
    saved_sealed  BLOB,
    version       INTEGER  NOT NULL,
    updated_at    INTEGER  NOT NULL,
    PRIMARY KEY (team_id, slack_user_id)
);
