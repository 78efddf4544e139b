-- Zoom email addresses and join links (whose `pwd=` lets anyone in) are
-- sealed like tokens. An email is found by a keyed hash of its lower-case
-- form. The plain columns stay for rows written before; zlack seals those
-- when it starts, and then leaves the plain columns empty.
ALTER TABLE zoom_links ADD COLUMN zoom_email_sealed BLOB;
ALTER TABLE zoom_links ADD COLUMN zoom_email_hash TEXT;
CREATE INDEX zoom_links_by_email ON zoom_links (team_id, zoom_email_hash);
ALTER TABLE meetings ADD COLUMN join_url_sealed BLOB;
