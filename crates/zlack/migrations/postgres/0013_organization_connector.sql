-- Organization mode: who connected the workspace's Zoom account, so that
-- switching it to another account can be confirmed on a page naming both,
-- and the person who connected it is told when it is switched.
-- The Slack user who finished the organization link (signed in with Slack).
ALTER TABLE workspaces ADD COLUMN zoom_connected_by TEXT;
-- When, in milliseconds since the epoch.
ALTER TABLE workspaces ADD COLUMN zoom_connected_at BIGINT;
-- The connecting Zoom admin's email address, sealed like tokens.
ALTER TABLE workspaces ADD COLUMN zoom_admin_email_sealed BYTEA;
