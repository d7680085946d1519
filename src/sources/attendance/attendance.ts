// Recording source events and keeping each touched room's derived members up to date, in one
// transaction: store the raw events (a duplicate id is dropped), lock the touched rooms,
// recompute each from ALL its raw events, feed the products, and schedule the timeout job.
// Recomputing from the whole set (rather than applying each event as it comes) is what makes
// the result independent of delivery order; the room lock makes two concurrent deliveries
// recompute one after the other, the second seeing the first's events.
import type { Logger } from "pino";
import type { JobEnqueuer } from "../../product-context.ts";
import type { Db, Queryable } from "../../storage/db.ts";
import type { App } from "../../tenancy/accounts.ts";
import type { JobType } from "../../jobs/queue.ts";
import { nativeErrors, type BadEvent } from "../../errors/native.ts";
import { insertSourceEvents, lockSourceRooms, roomEvents, setFedTarget } from "./events-store.ts";
import { deriveAttendance, type RoomAttendance } from "./presence.ts";
import { settingsFor } from "./settings-store.ts";
import { sourceEventProblem, type SourceEvent } from "./source-event.ts";
import { feedProducts, type FeedOutcome, type Feeds } from "./feed.ts";
import { mappedRoom, mappedUsers } from "../mapping/map-store.ts";

export const TIMEOUT_JOB = "sources.attendance-timeout";

export interface TimeoutPayload {
  appId: string;
  source: string;
  room: string;
}

export interface AttendanceDeps {
  db: Db;
  clock: { now(): number };
  jobs: JobEnqueuer;
  log: Logger;
  /** To find the app of a timeout job. */
  appById(appId: string): Promise<App | null>;
  feeds: Feeds;
}

export interface RecordResult {
  received: number;
  accepted: number;
  duplicates: number;
}

export class Attendance {
  private readonly deps: AttendanceDeps;

  constructor(deps: AttendanceDeps) {
    this.deps = deps;
  }

  /**
   * Records a batch of one app's source events, all or nothing: an invalid event refuses the
   * batch with the native InvalidBatch error naming it (index and reason); nothing is stored.
   */
  async record(app: App, events: readonly SourceEvent[]): Promise<RecordResult> {
    const bad: BadEvent[] = [];
    events.forEach((e, index) => {
      const why = sourceEventProblem(e);
      if (why) bad.push({ index, reason: why });
    });
    if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
    if (events.length === 0) return { received: 0, accepted: 0, duplicates: 0 };
    const now = this.deps.clock.now();
    const accepted = await this.deps.db.transaction(async (tx) => {
      let n = 0;
      for (const [source, group] of bySource(events)) {
        const rooms = await insertSourceEvents(tx, app.appId, now, group);
        n += rooms.length;
        if (rooms.length > 0) await this.recomputeRooms(tx, app, source, rooms);
      }
      return n;
    });
    return { received: events.length, accepted, duplicates: events.length - accepted };
  }

  /** Recomputes rooms (after a mapping changed, or from the timeout job), in the caller's transaction. */
  async recomputeRooms(tx: Queryable, app: App, source: string, rooms: readonly string[]): Promise<Map<string, FeedOutcome>> {
    const now = this.deps.clock.now();
    const sorted = [...new Set(rooms)].sort();
    const fed = await lockSourceRooms(tx, app.appId, source, sorted, now);
    const out = new Map<string, FeedOutcome>();
    for (const room of sorted) out.set(room, await this.recomputeLocked(tx, app, source, room, fed.get(room) ?? null, now));
    return out;
  }

  /** What the model derives for a room now (for tests and the admin view); no writes. */
  async attendanceOf(q: Queryable, app: App, source: string, room: string): Promise<RoomAttendance> {
    const settings = await settingsFor(q, app.appId, source);
    return deriveAttendance(await roomEvents(q, app.appId, source, room), settings, this.deps.clock.now());
  }

  private async recomputeLocked(
    tx: Queryable,
    app: App,
    source: string,
    room: string,
    fedTarget: string | null,
    now: number,
  ): Promise<FeedOutcome> {
    const a = await this.attendanceOf(tx, app, source, room);
    const target = await mappedRoom(tx, app.appId, source, room);
    const users = await mappedUsers(tx, app.appId, source, [...new Set(a.presences.map((p) => p.identity))]);
    const key = feedKey(source, room);
    // Mapped elsewhere since the last time: its members leave the room they were fed to.
    if (fedTarget !== null && fedTarget !== target) await feedProducts(this.deps.feeds, tx, app, key, fedTarget, users, EMPTY);
    const outcome = await feedProducts(this.deps.feeds, tx, app, key, target, users, a);
    if (fedTarget !== target) await setFedTarget(tx, app.appId, source, room, target);
    if (a.nextTimeoutAt !== null) {
      const payload: TimeoutPayload = { appId: app.appId, source, room };
      await this.deps.jobs.enqueue(TIMEOUT_JOB, payload, {
        tx,
        runAt: Math.max(a.nextTimeoutAt, now),
        singletonKey: `${TIMEOUT_JOB}:${app.appId}:${source}:${room}`,
        replace: true,
      });
    }
    if (outcome.lcic === "not-a-room-id" || outcome.lcic === "no-room" || outcome.gme === "invalid-room") {
      this.deps.log.debug({ appId: app.appId, source, room, target, outcome }, "sources: room not fed (no such room in the app)");
    }
    return outcome;
  }

  /** The timeout job: recomputes the room when an open connection's silence runs out. */
  jobs(): JobType<TimeoutPayload>[] {
    return [
      {
        name: TIMEOUT_JOB,
        run: async (p) => {
          const app = await this.deps.appById(p.appId);
          if (!app) return; // the app was deleted: nothing to feed
          await this.deps.db.transaction((tx) => this.recomputeRooms(tx, app, p.source, [p.room]));
        },
      },
    ];
  }
}

const EMPTY: RoomAttendance = { presences: [], media: [], lastAt: new Map(), nextTimeoutAt: null };

/**
 * What tells one SFU room's rows apart in a product (several SFU rooms may map to one cloud
 * room): the source and the room, the room's length first so that no name is a prefix of
 * another's key.
 */
export const feedKey = (source: string, room: string): string => `${source}:${room.length}:${room}`;

function bySource(events: readonly SourceEvent[]): Map<string, SourceEvent[]> {
  const out = new Map<string, SourceEvent[]>();
  for (const e of events) {
    const g = out.get(e.source);
    if (g) g.push(e);
    else out.set(e.source, [e]);
  }
  return out;
}
