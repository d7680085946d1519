// Loads the Janus working state a POST's facts touch, and writes back what translate()
// changed, inside the POST's transaction (migrations/001_janus.sql).
import type { Queryable } from "../../storage/db.ts";
import type { JanusFact } from "./janus-event.ts";
import { counterKey, feedKey, handleKey, JanusState, type Counters, type Feed, type Subscription } from "./state.ts";

type Row = Record<string, any>;

const feedOfRow = (r: Row): Feed => ({
  emitter: r.emitter,
  room: r.room,
  feed: r.feed,
  identity: r.identity,
  session: r.session_id,
  handle: r.handle_id,
  privateId: r.private_id,
  joinedAt: Number(r.joined_at),
  leftAt: r.left_at === null ? null : Number(r.left_at),
  seenAt: Number(r.seen_at),
  media: r.media,
});

const FEED_COLUMNS = "emitter, room, feed, identity, session_id, handle_id, private_id, joined_at, left_at, seen_at, media";

export async function loadJanusState(q: Queryable, appId: string, facts: readonly JanusFact[]): Promise<JanusState> {
  const state = new JanusState();
  const sessions = new Map<string, { emitter: string; session: string }>();
  const feeds = new Map<string, { emitter: string; room: string; feed: string }>();
  const emitters = new Set<string>();
  for (const f of facts) {
    if ("session" in f) sessions.set(`${f.emitter}\u0000${f.session}`, { emitter: f.emitter, session: f.session });
    if ("feed" in f) feeds.set(feedKey(f.emitter, f.room, f.feed), { emitter: f.emitter, room: f.room, feed: f.feed });
    if (f.kind === "core-stopped" || f.kind === "room-destroyed") emitters.add(f.emitter);
  }
  const s = [...sessions.values()];
  const se = s.map((x) => x.emitter);
  const ss = s.map((x) => x.session);
  if (s.length > 0) {
    const subs = await q.query<Row>(
      `select * from janus_subscriptions where app_id = $1 and (emitter, session_id) in (select * from unnest($2::text[], $3::text[]))`,
      [appId, se, ss],
    );
    for (const r of subs.rows) {
      const sub: Subscription = {
        emitter: r.emitter,
        session: r.session_id,
        handle: r.handle_id,
        room: r.room,
        privateId: r.private_id,
        streams: typeof r.streams === "string" ? JSON.parse(r.streams) : r.streams,
      };
      state.subscriptions.rows.set(handleKey(sub.emitter, sub.session, sub.handle), sub);
      // The publishers a subscription receives name the sender of its downlink samples.
      for (const feed of Object.values(sub.streams))
        feeds.set(feedKey(sub.emitter, sub.room, feed), { emitter: sub.emitter, room: sub.room, feed });
    }
    const counters = await q.query<Row>(
      `select * from janus_counters where app_id = $1 and (emitter, session_id) in (select * from unnest($2::text[], $3::text[]))`,
      [appId, se, ss],
    );
    for (const r of counters.rows) {
      const c: Counters = {
        emitter: r.emitter,
        session: r.session_id,
        handle: r.handle_id,
        medium: r.medium,
        at: Number(r.at),
        lost: r.lost,
        received: r.received,
        lostRemote: r.lost_remote,
        sent: r.sent,
        rrSeen: r.rr_seen,
      };
      state.counters.rows.set(counterKey(c.emitter, c.session, c.handle, c.medium), c);
    }
  }
  const f = [...feeds.values()];
  const e = [...emitters];
  const rows = await q.query<Row>(
    `select ${FEED_COLUMNS} from janus_feeds where app_id = $1 and (
       (emitter, session_id) in (select * from unnest($2::text[], $3::text[]))
       or (emitter, room, feed) in (select * from unnest($4::text[], $5::text[], $6::text[]))
       or emitter = any($7::text[])
       -- a subscriber is named by the publisher that gave its private_id
       or private_id in (select private_id from janus_subscriptions where app_id = $1
                          and (emitter, session_id) in (select * from unnest($2::text[], $3::text[]))))`,
    [appId, se, ss, f.map((x) => x.emitter), f.map((x) => x.room), f.map((x) => x.feed), e],
  );
  for (const r of rows.rows) {
    const feed = feedOfRow(r);
    state.feeds.rows.set(feedKey(feed.emitter, feed.room, feed.feed), feed);
  }
  return state;
}

export async function saveJanusState(q: Queryable, appId: string, state: JanusState): Promise<void> {
  for (const key of state.feeds.removed) {
    const [emitter, room, feed] = key.split("\u0000");
    await q.query("delete from janus_feeds where app_id = $1 and emitter = $2 and room = $3 and feed = $4", [appId, emitter, room, feed]);
  }
  for (const key of state.feeds.changed) {
    const f = state.feeds.get(key)!;
    await q.query(
      `insert into janus_feeds (app_id, ${FEED_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       on conflict (app_id, emitter, room, feed) do update set identity = excluded.identity, session_id = excluded.session_id,
         handle_id = excluded.handle_id, private_id = excluded.private_id, joined_at = excluded.joined_at,
         left_at = excluded.left_at, seen_at = excluded.seen_at, media = excluded.media`,
      [appId, f.emitter, f.room, f.feed, f.identity, f.session, f.handle, f.privateId, f.joinedAt, f.leftAt, f.seenAt, f.media],
    );
  }
  for (const key of state.subscriptions.removed) {
    const [emitter, session, handle] = key.split("\u0000");
    await q.query("delete from janus_subscriptions where app_id = $1 and emitter = $2 and session_id = $3 and handle_id = $4", [
      appId,
      emitter,
      session,
      handle,
    ]);
  }
  for (const key of state.subscriptions.changed) {
    const s = state.subscriptions.get(key)!;
    await q.query(
      `insert into janus_subscriptions (app_id, emitter, session_id, handle_id, room, private_id, streams) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (app_id, emitter, session_id, handle_id) do update set room = excluded.room, private_id = excluded.private_id, streams = excluded.streams`,
      [appId, s.emitter, s.session, s.handle, s.room, s.privateId, JSON.stringify(s.streams)],
    );
  }
  const gone = [...state.counters.removed].map((k) => k.split("\u0000"));
  if (gone.length > 0) {
    await q.query(
      `delete from janus_counters where app_id = $1 and (emitter, session_id, handle_id, medium) in
         (select * from unnest($2::text[], $3::text[], $4::text[], $5::text[]))`,
      [appId, ...[0, 1, 2, 3].map((i) => gone.map((g) => g[i]!))],
    );
  }
  const rows = [...state.counters.changed].map((k) => state.counters.get(k)!);
  if (rows.length > 0) {
    // Every medium of every handle reports each second: one statement for all of them.
    const col = <K extends keyof Counters>(k: K) => rows.map((r) => r[k]);
    await q.query(
      `insert into janus_counters (app_id, emitter, session_id, handle_id, medium, at, lost, received, lost_remote, sent, rr_seen)
       select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::boolean[])
       on conflict (app_id, emitter, session_id, handle_id, medium) do update set at = excluded.at, lost = excluded.lost,
         received = excluded.received, lost_remote = excluded.lost_remote, sent = excluded.sent, rr_seen = excluded.rr_seen`,
      [
        appId,
        col("emitter"),
        col("session"),
        col("handle"),
        col("medium"),
        col("at"),
        col("lost"),
        col("received"),
        col("lostRemote"),
        col("sent"),
        col("rrSeen"),
      ],
    );
  }
}
