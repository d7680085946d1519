// SQL of the per-app LCIC settings (lcic_settings); see admin-routes.ts for what they mean.
import type { Queryable } from "../../storage/db.ts";

export interface LcicSettings {
  statisticsDelaySeconds: number;
  statisticsGraceSeconds: number;
}

export const DEFAULT_SETTINGS: LcicSettings = { statisticsDelaySeconds: 5, statisticsGraceSeconds: 3600 };

export async function settingsOf(q: Queryable, appId: string): Promise<LcicSettings> {
  const rows = await q.query<{ statistics_delay_s: number; statistics_grace_s: number }>(
    "select statistics_delay_s, statistics_grace_s from lcic_settings where app_id = $1",
    [appId],
  );
  const r = rows.rows[0];
  return r ? { statisticsDelaySeconds: r.statistics_delay_s, statisticsGraceSeconds: r.statistics_grace_s } : { ...DEFAULT_SETTINGS };
}

export async function saveSettings(q: Queryable, appId: string, s: LcicSettings): Promise<void> {
  await q.query(
    `insert into lcic_settings (app_id, statistics_delay_s, statistics_grace_s) values ($1, $2, $3)
     on conflict (app_id) do update set statistics_delay_s = excluded.statistics_delay_s, statistics_grace_s = excluded.statistics_grace_s`,
    [appId, s.statisticsDelaySeconds, s.statisticsGraceSeconds],
  );
}
