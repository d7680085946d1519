// Per app and source: the reconnect gap and the open-presence timeout (source_settings),
// with each source's defaults where the app set none.
import type { Queryable } from "../../storage/db.ts";
import type { AttendanceSettings } from "./presence.ts";

/**
 * Defaults by source. LiveKit always ends a room with room_finished, so its timeout is only
 * a backstop; a Janus handle is heard of every few seconds (media stats), so silence means
 * it is gone. A reconnect (ICE restart, page reload) takes a few seconds.
 */
export const DEFAULT_SETTINGS: Record<string, AttendanceSettings> = {
  livekit: { reconnectGapMs: 10_000, openTimeoutMs: 6 * 3600_000 },
  janus: { reconnectGapMs: 10_000, openTimeoutMs: 120_000 },
};
const FALLBACK: AttendanceSettings = { reconnectGapMs: 10_000, openTimeoutMs: 3600_000 };

export async function settingsFor(q: Queryable, appId: string, source: string): Promise<AttendanceSettings> {
  const res = await q.query<{ reconnect_gap_ms: string; open_timeout_ms: string }>(
    "select reconnect_gap_ms, open_timeout_ms from source_settings where app_id = $1 and source = $2",
    [appId, source],
  );
  const r = res.rows[0];
  const d = DEFAULT_SETTINGS[source] ?? FALLBACK;
  return r ? { reconnectGapMs: Number(r.reconnect_gap_ms), openTimeoutMs: Number(r.open_timeout_ms) } : d;
}

export async function setSettings(
  q: Queryable,
  appId: string,
  source: string,
  s: Partial<AttendanceSettings>,
): Promise<AttendanceSettings> {
  const current = await settingsFor(q, appId, source);
  const next = { ...current, ...s };
  await q.query(
    `insert into source_settings (app_id, source, reconnect_gap_ms, open_timeout_ms) values ($1, $2, $3, $4)
     on conflict (app_id, source) do update set reconnect_gap_ms = excluded.reconnect_gap_ms, open_timeout_ms = excluded.open_timeout_ms`,
    [appId, source, next.reconnectGapMs, next.openTimeoutMs],
  );
  return next;
}
