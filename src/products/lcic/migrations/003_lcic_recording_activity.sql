-- LCIC class activity (quiz questions and answers, class ratings, playback views, from
-- ingest events) and recording (tasks run by recorders through the agent protocol, the
-- files they uploaded, playback). Every table keys by app first. Times are domain Unix ms.

-- A quiz question the teacher asked (lcic.question.asked). The first report of a
-- QuestionId wins; DescribeAnswerList names a question without its SdkAppId.
create table lcic_questions (
  app_id text not null,
  question_id text not null,
  room_id bigint not null,
  content text not null,
  duration_s int not null,
  correct_answer bigint not null,
  option_count smallint not null,
  asked_at bigint not null,
  primary key (app_id, question_id)
);
create index lcic_questions_room on lcic_questions (app_id, room_id, asked_at);

-- A student's answer to a question (lcic.question.answered with a QuestionId): one per
-- (question, user), the latest by ctime wins. The question may arrive after its answers.
create table lcic_answers (
  app_id text not null,
  question_id text not null,
  user_id text not null,
  room_id bigint not null,
  answer bigint not null,
  cost_time_s int not null,
  answered_at bigint not null,
  primary key (app_id, question_id, user_id)
);

-- A member's rating of the class (lcic.class.rated): one per (room, user), the latest wins.
create table lcic_scores (
  app_id text not null,
  room_id bigint not null,
  user_id text not null,
  score int not null,
  score_msg text not null,
  rated_at bigint not null,
  primary key (app_id, room_id, user_id)
);

-- A playback session of a room's recording (lcic.playback.viewed): one per session id.
create table lcic_play_records (
  app_id text not null,
  room_id bigint not null,
  session_id text not null,
  user_id text not null,
  -- Unix seconds, as DescribePlayRecords answers them.
  begin_s bigint not null,
  end_s bigint not null,
  duration_ms bigint not null,
  primary key (app_id, room_id, session_id)
);
create index lcic_play_records_window on lcic_play_records (app_id, room_id, begin_s);

-- state: recording → stopped (the recorder uploads) → done; or lost (the recorder vanished
-- for good). At most one recording task per room at a time.
create table lcic_record_tasks (
  app_id text not null,
  task_id text not null,
  room_id bigint not null,
  state text not null,
  -- "class" (the room's automatic recording) or "api" (StartRecord).
  origin text not null,
  record_layout int not null,
  record_stream smallint not null,
  -- When the recorder said it began, and when the recording was asked to stop.
  began_at bigint,
  stopped_at bigint,
  stop_reason text,
  created_at bigint not null,
  updated_at bigint not null,
  primary key (app_id, task_id)
);
create unique index lcic_record_tasks_recording on lcic_record_tasks (app_id, room_id) where state = 'recording';
create index lcic_record_tasks_room on lcic_record_tasks (app_id, room_id, created_at);

-- The files a recorder uploaded: the mixed recording (user_id '') and, with RecordStream 1,
-- one per member's stream. Deleted files stay as tombstones (BatchDeleteRecord tells which
-- rooms it deleted).
create table lcic_record_files (
  app_id text not null,
  task_id text not null,
  room_id bigint not null,
  user_id text not null,
  role text not null,
  start_s bigint not null,
  stop_s bigint not null,
  file_format text not null,
  record_url text not null,
  record_size bigint not null,
  video_id text not null,
  deleted boolean not null default false,
  primary key (app_id, task_id, user_id, role)
);
create index lcic_record_files_room on lcic_record_files (app_id, room_id);

-- DeletePlaybackItem hides a room from DescribePlaybackList (its files stay).
create table lcic_playback_hidden (
  app_id text not null,
  room_id bigint not null,
  primary key (app_id, room_id)
);

-- The key that signs an app's playback tokens (HS256), made on first use.
create table lcic_playback_keys (
  app_id text primary key,
  key text not null
);
