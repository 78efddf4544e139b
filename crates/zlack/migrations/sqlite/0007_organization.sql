-- Organization mode: the Zoom account a Zoom admin connected to this Slack
-- workspace (its token is owned by `zoom:account:{id}`).
ALTER TABLE workspaces ADD COLUMN zoom_account_id TEXT;
