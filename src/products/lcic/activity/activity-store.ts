// Class activity in SQL: quiz questions and answers, class ratings and playback sessions,
// written by the ingest events (activity-events.ts) and read by the four Describe actions.
// Every write is idempotent and independent of arrival order: a retried or reordered batch
// leaves the same rows.
import type { Queryable } from "../../../storage/db.ts";

export interface Question {
  questionId: string;
  roomId: number;
  content: string;
  durationS: number;
  correctAnswer: number;
  optionCount: number;
  askedAt: number;
}

export interface Answer {
  questionId: string;
  userId: string;
  roomId: number;
  answer: number;
  costTimeS: number;
  answeredAt: number;
}

export interface Score {
  roomId: number;
  userId: string;
  score: number;
  scoreMsg: string;
  ratedAt: number;
}

export interface PlayRecord {
  roomId: number;
  sessionId: string;
  userId: string;
  beginS: number;
  endS: number;
  durationMs: number;
}

/** The ids among `roomIds` that are rooms of the app. */
export async function existingRooms(q: Queryable, appId: string, roomIds: readonly number[]): Promise<Set<number>> {
  const rows = await q.query<{ room_id: string | number }>(
    "select room_id from lcic_rooms where app_id = $1 and room_id = any($2::bigint[])",
    [appId, roomIds],
  );
  return new Set(rows.rows.map((r) => Number(r.room_id)));
}

/** The first report of a QuestionId wins (a re-sent question changes nothing). */
export async function insertQuestions(q: Queryable, appId: string, qs: readonly Question[]): Promise<void> {
  if (qs.length === 0) return;
  await q.query(
    `insert into lcic_questions (app_id, question_id, room_id, content, duration_s, correct_answer, option_count, asked_at)
     select $1, * from unnest($2::text[], $3::bigint[], $4::text[], $5::int[], $6::bigint[], $7::smallint[], $8::bigint[])
     on conflict do nothing`,
    [
      appId,
      qs.map((x) => x.questionId),
      qs.map((x) => x.roomId),
      qs.map((x) => x.content),
      qs.map((x) => x.durationS),
      qs.map((x) => x.correctAnswer),
      qs.map((x) => x.optionCount),
      qs.map((x) => x.askedAt),
    ],
  );
}

/**
 * One answer per (question, user): the latest by answer time wins (a student who changes
 * the answer before the countdown ends), ties to the one stored first. `distinct on` keeps
 * one row per key from the batch itself, as `on conflict` cannot touch a row twice.
 */
export async function upsertAnswers(q: Queryable, appId: string, as: readonly Answer[]): Promise<void> {
  if (as.length === 0) return;
  await q.query(
    `insert into lcic_answers (app_id, question_id, user_id, room_id, answer, cost_time_s, answered_at)
     select distinct on (question_id, user_id) $1, question_id, user_id, room_id, answer, cost_time_s, answered_at
     from unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::int[], $7::bigint[], $8::int[])
       as t(question_id, user_id, room_id, answer, cost_time_s, answered_at, ord)
     order by question_id, user_id, answered_at desc, ord
     on conflict (app_id, question_id, user_id) do update set
       room_id = excluded.room_id, answer = excluded.answer, cost_time_s = excluded.cost_time_s, answered_at = excluded.answered_at
     where excluded.answered_at > lcic_answers.answered_at`,
    [
      appId,
      as.map((x) => x.questionId),
      as.map((x) => x.userId),
      as.map((x) => x.roomId),
      as.map((x) => x.answer),
      as.map((x) => x.costTimeS),
      as.map((x) => x.answeredAt),
      as.map((_, i) => i),
    ],
  );
}

/** One rating per (room, user): the latest by rating time wins. */
export async function upsertScores(q: Queryable, appId: string, ss: readonly Score[]): Promise<void> {
  if (ss.length === 0) return;
  await q.query(
    `insert into lcic_scores (app_id, room_id, user_id, score, score_msg, rated_at)
     select distinct on (room_id, user_id) $1, room_id, user_id, score, score_msg, rated_at
     from unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::bigint[], $7::int[])
       as t(room_id, user_id, score, score_msg, rated_at, ord)
     order by room_id, user_id, rated_at desc, ord
     on conflict (app_id, room_id, user_id) do update set
       score = excluded.score, score_msg = excluded.score_msg, rated_at = excluded.rated_at
     where excluded.rated_at > lcic_scores.rated_at`,
    [
      appId,
      ss.map((x) => x.roomId),
      ss.map((x) => x.userId),
      ss.map((x) => x.score),
      ss.map((x) => x.scoreMsg),
      ss.map((x) => x.ratedAt),
      ss.map((_, i) => i),
    ],
  );
}

/** One row per playback session; a session reported again changes nothing. */
export async function insertPlayRecords(q: Queryable, appId: string, ps: readonly PlayRecord[]): Promise<void> {
  if (ps.length === 0) return;
  await q.query(
    `insert into lcic_play_records (app_id, room_id, session_id, user_id, begin_s, end_s, duration_ms)
     select $1, * from unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
     on conflict do nothing`,
    [
      appId,
      ps.map((x) => x.roomId),
      ps.map((x) => x.sessionId),
      ps.map((x) => x.userId),
      ps.map((x) => x.beginS),
      ps.map((x) => x.endS),
      ps.map((x) => x.durationMs),
    ],
  );
}

export interface QuestionRow extends Question {
  /** Answers per option, option i being bit i (1 << i), for i below optionCount. */
  optionCounts: number[];
}

/** A page of the room's questions in the order they were asked, with the answer counts per option. */
export async function questionsPage(
  q: Queryable,
  appId: string,
  roomId: number,
  limit: number,
  offset: number,
): Promise<{ total: number; questions: QuestionRow[] }> {
  const total = await q.query<{ n: number }>("select count(*)::int as n from lcic_questions where app_id = $1 and room_id = $2", [
    appId,
    roomId,
  ]);
  const rows = await q.query<{
    question_id: string;
    content: string;
    duration_s: number;
    correct_answer: string | number;
    option_count: number;
    asked_at: string | number;
    counts: (string | number)[] | null;
  }>(
    `select q.question_id, q.content, q.duration_s, q.correct_answer, q.option_count, q.asked_at,
       (select array_agg((select count(*) from lcic_answers a
                          where a.app_id = q.app_id and a.question_id = q.question_id and (a.answer & (1::bigint << i)) <> 0)
                         order by i)
        from generate_series(0, q.option_count - 1) as i) as counts
     from lcic_questions q where q.app_id = $1 and q.room_id = $2
     order by q.asked_at, q.question_id collate "C" limit $3 offset $4`,
    [appId, roomId, limit, offset],
  );
  return {
    total: total.rows[0]!.n,
    questions: rows.rows.map((r) => ({
      questionId: r.question_id,
      roomId,
      content: r.content,
      durationS: r.duration_s,
      correctAnswer: Number(r.correct_answer),
      optionCount: r.option_count,
      askedAt: Number(r.asked_at),
      optionCounts: (r.counts ?? []).map(Number),
    })),
  };
}

/** The question of one of the apps, or null. */
export async function questionById(
  q: Queryable,
  appIds: readonly string[],
  questionId: string,
): Promise<(Question & { appId: string }) | null> {
  const rows = await q.query<{
    app_id: string;
    room_id: string;
    content: string;
    duration_s: number;
    correct_answer: string;
    option_count: number;
    asked_at: string;
  }>(
    // Two apps of one account with one QuestionId (ids are UUIDs in LCIC's app): the first asked.
    "select * from lcic_questions where app_id = any($1::text[]) and question_id = $2 order by asked_at, app_id limit 1",
    [appIds, questionId],
  );
  const r = rows.rows[0];
  if (!r) return null;
  return {
    appId: r.app_id,
    questionId,
    roomId: Number(r.room_id),
    content: r.content,
    durationS: r.duration_s,
    correctAnswer: Number(r.correct_answer),
    optionCount: r.option_count,
    askedAt: Number(r.asked_at),
  };
}

/** A page of a question's answers in the order they were given, with the users' names. */
export async function answersPage(
  q: Queryable,
  appId: string,
  questionId: string,
  limit: number,
  offset: number,
): Promise<{ total: number; answers: (Answer & { name: string })[] }> {
  const total = await q.query<{ n: number }>("select count(*)::int as n from lcic_answers where app_id = $1 and question_id = $2", [
    appId,
    questionId,
  ]);
  const rows = await q.query<{
    user_id: string;
    room_id: string;
    answer: string;
    cost_time_s: number;
    answered_at: string;
    name: string | null;
  }>(
    `select a.user_id, a.room_id, a.answer, a.cost_time_s, a.answered_at, u.name
     from lcic_answers a left join lcic_users u on u.app_id = a.app_id and u.user_id = a.user_id
     where a.app_id = $1 and a.question_id = $2
     order by a.answered_at, a.user_id collate "C" limit $3 offset $4`,
    [appId, questionId, limit, offset],
  );
  return {
    total: total.rows[0]!.n,
    answers: rows.rows.map((r) => ({
      questionId,
      userId: r.user_id,
      roomId: Number(r.room_id),
      answer: Number(r.answer),
      costTimeS: r.cost_time_s,
      answeredAt: Number(r.answered_at),
      name: r.name ?? "",
    })),
  };
}

/** A page of the room's ratings in the order they were given. */
export async function scoresPage(
  q: Queryable,
  appId: string,
  roomId: number,
  limit: number,
  offset: number,
): Promise<{ total: number; scores: Score[] }> {
  const total = await q.query<{ n: number }>("select count(*)::int as n from lcic_scores where app_id = $1 and room_id = $2", [
    appId,
    roomId,
  ]);
  const rows = await q.query<{ user_id: string; score: number; score_msg: string; rated_at: string }>(
    `select user_id, score, score_msg, rated_at from lcic_scores where app_id = $1 and room_id = $2
     order by rated_at, user_id collate "C" limit $3 offset $4`,
    [appId, roomId, limit, offset],
  );
  return {
    total: total.rows[0]!.n,
    scores: rows.rows.map((r) => ({ roomId, userId: r.user_id, score: r.score, scoreMsg: r.score_msg, ratedAt: Number(r.rated_at) })),
  };
}

/** A page of the room's playback sessions begun in [fromS, toS], of one user if given. */
export async function playRecordsPage(
  q: Queryable,
  appId: string,
  roomId: number,
  window: { fromS: number; toS: number; userId: string | null },
  limit: number,
  offset: number,
): Promise<{ total: number; records: PlayRecord[] }> {
  const where = "app_id = $1 and room_id = $2 and begin_s between $3 and $4 and ($5::text is null or user_id = $5)";
  const params = [appId, roomId, window.fromS, window.toS, window.userId];
  const total = await q.query<{ n: number }>(`select count(*)::int as n from lcic_play_records where ${where}`, params);
  const rows = await q.query<{ session_id: string; user_id: string; begin_s: string; end_s: string; duration_ms: string }>(
    `select session_id, user_id, begin_s, end_s, duration_ms from lcic_play_records where ${where}
     order by begin_s, session_id collate "C" limit $6 offset $7`,
    [...params, limit, offset],
  );
  return {
    total: total.rows[0]!.n,
    records: rows.rows.map((r) => ({
      roomId,
      sessionId: r.session_id,
      userId: r.user_id,
      beginS: Number(r.begin_s),
      endS: Number(r.end_s),
      durationMs: Number(r.duration_ms),
    })),
  };
}
