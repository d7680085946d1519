// The Janus working state a POST reads and changes (state-store.ts loads and saves it): the
// VideoRoom publishers by feed, the subscriber handles and the previous counters of every
// medium. In memory while one POST is translated; what changed is written back in the same
// transaction.

export interface Feed {
  emitter: string;
  room: string;
  feed: string;
  identity: string;
  session: string;
  handle: string;
  privateId: string | null;
  joinedAt: number;
  leftAt: number | null;
  seenAt: number;
  media: string[];
}

export interface Subscription {
  emitter: string;
  session: string;
  handle: string;
  room: string;
  privateId: string | null;
  /** mid → publisher feed */
  streams: Record<string, string>;
}

export interface Counters {
  emitter: string;
  session: string;
  handle: string;
  /** "<mid>/<media>" */
  medium: string;
  at: number;
  lost: number;
  /** Packets received minus retransmissions: what `lost` is a share of, with it. */
  received: number;
  lostRemote: number;
  sent: number;
  /** Janus has had a receiver report for this medium (its remote figures are real, not zeros). */
  rrSeen: boolean;
}

export const feedKey = (emitter: string, room: string, feed: string) => `${emitter}\u0000${room}\u0000${feed}`;
export const handleKey = (emitter: string, session: string, handle: string) => `${emitter}\u0000${session}\u0000${handle}`;
export const counterKey = (emitter: string, session: string, handle: string, medium: string) =>
  `${handleKey(emitter, session, handle)}\u0000${medium}`;

/** A keyed table that remembers what changed, for the store to write back. */
export class Tracked<T> {
  readonly rows = new Map<string, T>();
  readonly changed = new Set<string>();
  readonly removed = new Set<string>();

  get(key: string): T | undefined {
    return this.rows.get(key);
  }
  set(key: string, row: T): void {
    this.rows.set(key, row);
    this.changed.add(key);
    this.removed.delete(key);
  }
  delete(key: string): void {
    if (!this.rows.delete(key)) return;
    this.changed.delete(key);
    this.removed.add(key);
  }
  /** Marks a row changed after it was edited in place. */
  touch(key: string): void {
    if (this.rows.has(key)) this.changed.add(key);
  }
  values(): IterableIterator<T> {
    return this.rows.values();
  }
}

export class JanusState {
  readonly feeds = new Tracked<Feed>();
  readonly subscriptions = new Tracked<Subscription>();
  readonly counters = new Tracked<Counters>();
}
