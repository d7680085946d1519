// A rate-paced sender: every tick it takes what is due by now (rate × elapsed, so a late
// tick catches up) and sends it, with a bounded number of sends in flight. When the server
// cannot keep up, sends queue behind the bound and the achieved rate shows it.
export interface PaceOptions {
  ratePerS: number;
  durationS: number;
  tickMs?: number;
  maxInFlight?: number;
}

export interface PaceResult {
  /** Items acknowledged. */
  sent: number;
  /** Seconds from the first send to the last acknowledgement. */
  elapsedS: number;
  /** The source ran dry before the end. */
  exhausted: boolean;
}

/**
 * `take(n)` returns up to n items; `send(items)` delivers them (rejects on failure, which
 * stops the run). Returns when `durationS` is over and every send has been acknowledged.
 */
export async function pace<T>(o: PaceOptions, take: (n: number) => T[], send: (items: T[]) => Promise<void>): Promise<PaceResult> {
  const tickMs = o.tickMs ?? 50;
  const maxInFlight = o.maxInFlight ?? 16;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let taken = 0;
  let sent = 0;
  let exhausted = false;
  const t0 = performance.now();
  let lastAck = t0;
  for (;;) {
    const elapsed = Math.min((performance.now() - t0) / 1000, o.durationS);
    // The last round sends what is due at the very end: rate x duration items in all.
    const last = elapsed >= o.durationS;
    if (failure) break;
    const due = Math.floor(o.ratePerS * elapsed) - taken;
    if (due > 0) {
      const items = take(due);
      taken += items.length;
      if (items.length < due) exhausted = true;
      if (items.length > 0) {
        while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
        const p: Promise<void> = send(items).then(
          () => {
            sent += items.length;
            lastAck = performance.now();
          },
          (err) => void (failure ??= err),
        );
        const tracked = p.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
      if (exhausted) break;
    }
    if (last) break;
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  const acked = (lastAck - t0) / 1000;
  return { sent, elapsedS: exhausted ? acked : Math.max(o.durationS, acked), exhausted };
}
