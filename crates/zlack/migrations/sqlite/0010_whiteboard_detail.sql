-- Where whiteboard unfurls show a board's details, chosen by a workspace
-- admin: `everywhere` (the default, also when NULL), `private_only` or
-- `nowhere`.
ALTER TABLE workspaces ADD COLUMN whiteboard_detail TEXT;
