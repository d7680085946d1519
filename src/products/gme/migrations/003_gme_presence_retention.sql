-- Retention of the presence history (presence-history.ts) finds old marks by event time.
create index gme_presence_marks_at on gme_presence_marks (at);
