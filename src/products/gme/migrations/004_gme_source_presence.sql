-- Presence marks derived from a media server's events (src/sources/attendance) carry the
-- source's name, so that a recomputation replaces them; the client's own marks have none.
alter table gme_presence_marks add column source text;
create index gme_presence_marks_source on gme_presence_marks (app_id, room_id, source) where source is not null;
