-- Organization mode: the Zoom account a Zoom admin connected to this Slack
-- workspace (its token is owned by `zoom:account:{id}`).
ALTER TABLE workspaces ADD COLUMN zoom_account_id TEXT;
-- The Zoom admin who connected it: their removing the app at Zoom ends the
-- connection; anyone else's removal concerns only themselves.
ALTER TABLE workspaces ADD COLUMN zoom_admin_id TEXT;
