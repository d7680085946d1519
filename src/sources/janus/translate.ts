// From Janus facts (janus-event.ts) to what the ledger records: presence events for the
// attendance model (one per VideoRoom participant, named by its display, else its feed id)
// and QoS samples (qos.ts). Pure over the working state it is given (state.ts), which it
// updates for the next POST. Facts are taken in Janus's timestamp order: Janus emits from
// several threads, and a POST may hold a leave before the stats that preceded it.
import type { SourceEvent } from "../attendance/index.ts";
import type { JanusFact } from "./janus-event.ts";
import { letterOf, mediumMetrics, mergeMetrics, type Metrics } from "./qos.ts";
import { counterKey, feedKey, handleKey, type Feed, type JanusState } from "./state.ts";

export const SOURCE = "janus";

/** A participant counts as seen (not timed out) at most once a minute: stats come every second. */
export const SEEN_EVERY_MS = 60_000;
/** Audio and video stats of one handle's round come a few ms apart: one sample for both. */
const SAME_ROUND_MS = 500;

/** A QoS sample in Janus's names; the route maps room and identities to the cloud's ids. */
export interface JanusSample {
  ctime: number;
  room: string;
  /** The sender's identity. */
  uid: string;
  /** The receiver's identity; null for the sender's own uplink. */
  peer: string | null;
  /** The publisher's feed id (the stored sample's stream is "": record.ts). */
  stream: string;
  metrics: Metrics;
}

export interface Translation {
  events: SourceEvent[];
  samples: JanusSample[];
}

export function translate(facts: readonly JanusFact[], state: JanusState): Translation {
  const out: Translation = { events: [], samples: [] };
  const ordered = [...facts].sort((a, b) => a.at - b.at);
  const feedOf = (emitter: string, room: string, feed: string) => state.feeds.get(feedKey(emitter, room, feed));
  const presence = (f: Feed, kind: SourceEvent["kind"], id: string, at: number, media?: "audio" | "video") =>
    out.events.push({
      source: SOURCE,
      eventId: id,
      room: f.room,
      identity: f.identity,
      connection: f.feed,
      kind,
      at,
      ...(media ? { extras: { media } } : {}),
    });
  const leave = (f: Feed, id: string, at: number) => {
    if (f.leftAt !== null) return;
    f.leftAt = at;
    state.feeds.touch(feedKey(f.emitter, f.room, f.feed));
    presence(f, "left", id, at);
  };
  const dropSession = (emitter: string, session: string) => {
    for (const [k, s] of state.subscriptions.rows) if (s.emitter === emitter && s.session === session) state.subscriptions.delete(k);
    for (const [k, c] of state.counters.rows) if (c.emitter === emitter && c.session === session) state.counters.delete(k);
    for (const [k, f] of state.feeds.rows) if (f.emitter === emitter && f.session === session) state.feeds.delete(k);
  };
  // Samples of this POST by (handle, publisher feed), to merge a round's audio and video.
  const recent = new Map<string, Recent>();
  // What ended sessions and handles leave behind goes at the end of the POST: Janus sends a
  // handle's last statistics just after the session's end, and they still count.
  const gone: (() => void)[] = [];

  for (const fact of ordered) {
    switch (fact.kind) {
      case "joined": {
        const key = feedKey(fact.emitter, fact.room, fact.feed);
        const f: Feed = {
          emitter: fact.emitter,
          room: fact.room,
          feed: fact.feed,
          identity: fact.display ?? fact.feed,
          session: fact.session,
          handle: fact.handle,
          privateId: fact.privateId,
          joinedAt: fact.at,
          leftAt: null,
          seenAt: fact.at,
          media: [],
        };
        state.feeds.set(key, f);
        presence(f, "joined", fact.id, fact.at);
        break;
      }
      case "published": {
        const f = feedOf(fact.emitter, fact.room, fact.feed);
        if (!f || f.leftAt !== null) break;
        for (const m of fact.media) if (!f.media.includes(m)) presence(f, "media-on", `${fact.id}:${m}`, fact.at, m);
        f.media = [...new Set([...f.media, ...fact.media])];
        state.feeds.touch(feedKey(f.emitter, f.room, f.feed));
        break;
      }
      case "unpublished": {
        const f = feedOf(fact.emitter, fact.room, fact.feed);
        if (!f || f.leftAt !== null) break;
        for (const m of f.media) presence(f, "media-off", `${fact.id}:${m}`, fact.at, m as "audio" | "video");
        f.media = [];
        state.feeds.touch(feedKey(f.emitter, f.room, f.feed));
        break;
      }
      case "leaving": {
        const f = feedOf(fact.emitter, fact.room, fact.feed);
        if (f) leave(f, fact.id, fact.at); // a feed never seen joining (before the link) cannot be named
        break;
      }
      case "handle-detached": {
        // A publisher whose handle goes without a "leaving" (a crashed page, a timeout) has left.
        for (const f of state.feeds.values()) {
          if (f.emitter === fact.emitter && f.session === fact.session && f.handle === fact.handle) leave(f, fact.id, fact.at);
        }
        gone.push(() => {
          const hk = handleKey(fact.emitter, fact.session, fact.handle);
          state.subscriptions.delete(hk);
          for (const [k, c] of state.counters.rows) if (handleKey(c.emitter, c.session, c.handle) === hk) state.counters.delete(k);
        });
        break;
      }
      case "session-gone": {
        for (const f of [...state.feeds.values()]) {
          if (f.emitter === fact.emitter && f.session === fact.session) leave(f, `${fact.id}:${f.feed}`, fact.at);
        }
        gone.push(() => dropSession(fact.emitter, fact.session));
        break;
      }
      case "room-destroyed": {
        out.events.push({
          source: SOURCE,
          eventId: fact.id,
          room: fact.room,
          identity: "",
          connection: "",
          kind: "room-finished",
          at: fact.at,
        });
        for (const f of state.feeds.values())
          if (f.emitter === fact.emitter && f.room === fact.room) leave(f, `${fact.id}:${f.feed}`, fact.at);
        break;
      }
      case "core-stopped": {
        // Janus (re)started or stopped: every PeerConnection it had is gone.
        for (const f of [...state.feeds.values()]) {
          if (f.emitter !== fact.emitter) continue;
          leave(f, `${fact.id}:${f.room}:${f.feed}`, fact.at);
          gone.push(() => dropSession(f.emitter, f.session));
        }
        break;
      }
      case "subscribing": {
        const hk = handleKey(fact.emitter, fact.session, fact.handle);
        const prev = state.subscriptions.get(hk);
        const streams = { ...(prev?.streams ?? {}) };
        for (const s of fact.streams) streams[s.mid] = s.feed;
        state.subscriptions.set(hk, {
          emitter: fact.emitter,
          session: fact.session,
          handle: fact.handle,
          room: fact.room,
          privateId: fact.privateId ?? prev?.privateId ?? null,
          streams,
        });
        break;
      }
      case "stats":
        stats(fact, state, out, recent);
        break;
    }
  }
  for (const drop of gone) drop();
  return out;
}

interface Recent {
  sample: JanusSample;
  /** The media merged into it: a second report of one of them (Janus's last, at hang-up) is a sample of its own. */
  media: Set<string>;
}

function stats(fact: Extract<JanusFact, { kind: "stats" }>, state: JanusState, out: Translation, recent: Map<string, Recent>): void {
  const { emitter, session, handle } = fact;
  const publisher = [...state.feeds.values()].find((f) => f.emitter === emitter && f.session === session && f.handle === handle);
  const sub = publisher ? undefined : state.subscriptions.get(handleKey(emitter, session, handle));
  if (!publisher && !sub) return; // a handle of another plugin, or one we never saw attach to a room

  if (publisher && publisher.leftAt === null && fact.at - publisher.seenAt >= SEEN_EVERY_MS) {
    publisher.seenAt = fact.at;
    state.feeds.touch(feedKey(emitter, publisher.room, publisher.feed));
    out.events.push({
      source: SOURCE,
      eventId: fact.id,
      room: publisher.room,
      identity: publisher.identity,
      connection: publisher.feed,
      kind: "seen",
      at: fact.at,
    });
  }
  // The subscriber's own identity: the publisher in the same session, or the one whose
  // private_id it gave when subscribing. A subscriber that never published cannot be named.
  const receiver = sub
    ? [...state.feeds.values()].find(
        (f) => f.emitter === emitter && (f.session === session || (sub.privateId !== null && f.privateId === sub.privateId)),
      )
    : undefined;

  for (const m of fact.media) {
    if (letterOf(m.media) === null) continue;
    const medium = `${m.mid}/${m.media}`;
    const ck = counterKey(emitter, session, handle, medium);
    const prev = state.counters.get(ck) ?? null;
    if (prev && prev.at > fact.at) continue; // an older report replayed: its interval is already counted
    const sender = publisher ?? (sub ? state.feeds.get(feedKey(emitter, sub.room, sub.streams[m.mid] ?? "")) : undefined);
    const { metrics, next } = mediumMetrics(m, publisher ? "uplink" : "downlink", prev, fact.at, { emitter, session, handle, medium });
    state.counters.set(ck, next);
    if (!sender || (!publisher && !receiver) || Object.keys(metrics).length === 0) continue;
    const peer = publisher ? null : receiver!.identity;
    const rk = `${handle}\u0000${sender.feed}`;
    const last = recent.get(rk);
    if (last && !last.media.has(medium) && Math.abs(fact.at - last.sample.ctime) < SAME_ROUND_MS) {
      mergeMetrics(last.sample.metrics, metrics);
      last.media.add(medium);
      continue;
    }
    const sample: JanusSample = { ctime: fact.at, room: sender.room, uid: sender.identity, peer, stream: sender.feed, metrics };
    recent.set(rk, { sample, media: new Set([medium]) });
    out.samples.push(sample);
  }
}
