// SQL of GME's app switches (gme_apps): the settings CreateApp sets and the admin API changes.
import type { Queryable } from "../../storage/db.ts";

export interface GmeAppSettings {
  projectId: number;
  recordingOpened: boolean;
  /** Seconds an emptied room waits before its recording stops; null = never. */
  emptyRoomStopSeconds: number | null;
  appKey: string | null;
  profile: Record<string, unknown>;
  /** ModifyAppStatus "close": the app's master switch is off (AppStatus 1). */
  appClosed: boolean;
}

/**
 * Recording is NOT opened by default: in the cloud an app's server-side recording is a
 * service switched on in the GME console (there is no API for it), and until then the
 * recording actions answer UnsupportedOperation.ServiceNotOpened. Here the switch is the
 * admin route `POST /admin/v1/gme/apps/:bizId/recording`.
 */
export const DEFAULT_SETTINGS: GmeAppSettings = {
  projectId: 0,
  recordingOpened: false,
  emptyRoomStopSeconds: 60,
  appKey: null,
  profile: {},
  appClosed: false,
};

interface SettingsRow {
  project_id: number;
  recording_opened: boolean;
  empty_room_stop_s: number | null;
  app_key: string | null;
  profile: Record<string, unknown>;
  app_closed: boolean;
}

const toSettings = (r: SettingsRow): GmeAppSettings => ({
  projectId: r.project_id,
  recordingOpened: r.recording_opened,
  emptyRoomStopSeconds: r.empty_room_stop_s,
  appKey: r.app_key,
  profile: r.profile,
  appClosed: r.app_closed,
});

export async function appSettings(q: Queryable, appId: string): Promise<GmeAppSettings> {
  const rows = await q.query<SettingsRow>("select * from gme_apps where app_id = $1", [appId]);
  const r = rows.rows[0];
  return r ? toSettings(r) : DEFAULT_SETTINGS;
}

export async function settingsOfApps(q: Queryable, appIds: string[]): Promise<Map<string, GmeAppSettings>> {
  const rows = await q.query<SettingsRow & { app_id: string }>("select * from gme_apps where app_id = any($1::text[])", [appIds]);
  const out = new Map<string, GmeAppSettings>();
  for (const r of rows.rows) out.set(r.app_id, toSettings(r));
  return out;
}

export async function saveAppSettings(q: Queryable, appId: string, s: GmeAppSettings, now: number): Promise<void> {
  await q.query(
    `insert into gme_apps (app_id, project_id, recording_opened, empty_room_stop_s, app_key, profile, app_closed, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (app_id) do update set project_id = excluded.project_id, recording_opened = excluded.recording_opened,
       empty_room_stop_s = excluded.empty_room_stop_s, app_key = excluded.app_key, profile = excluded.profile,
       app_closed = excluded.app_closed`,
    [appId, s.projectId, s.recordingOpened, s.emptyRoomStopSeconds, s.appKey, JSON.stringify(s.profile), s.appClosed, now],
  );
}
