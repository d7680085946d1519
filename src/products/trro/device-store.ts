// SQL of TRRO devices.
import { createHash } from "node:crypto";
import type { Queryable } from "../../storage/db.ts";
import type { DeviceStatus } from "./device-status.ts";

export const tokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");

export interface DeviceRow {
  app_id: string;
  device_id: string;
  name: string;
  device_type: "field" | "remote";
  token_hash: string;
  modify_time: number;
  online: boolean;
  last_report_time: number | null;
  last_seen: number | null;
  status: DeviceStatus;
}

// device-status.ts in SQL (listDevices has the same rule for a whole project). $now and
// $presence are the caller's parameters (by number).
const statusSql = (now: string, presence: string) => `
  case when not d.online or d.last_seen is null or d.last_seen < ${now}::bigint - ${presence}::bigint then 'offline'
       when exists (select 1 from trro_sessions s
                    where s.app_id = d.app_id and s.end_time is null
                      and (s.field_device_id = d.device_id or s.remote_device_id = d.device_id)) then 'connected'
       else 'ready' end`;

/** Inserts a device; false when the id is taken in the project. */
export async function insertDevice(
  q: Queryable,
  d: { appId: string; deviceId: string; name: string; type: string; token: string },
  now: number,
): Promise<boolean> {
  // The project row's counter numbers the device (its lock orders concurrent creations).
  const res = await q.query(
    `with n as (update trro_projects set device_seq = device_seq + 1 where app_id = $1 returning device_seq)
     insert into trro_devices (app_id, device_id, name, device_type, token_hash, modify_time, device_no)
     select $1, $2, $3, $4, $5, $6, device_seq from n
     on conflict (app_id, device_id) do nothing returning device_id`,
    [d.appId, d.deviceId, d.name, d.type, tokenHash(d.token), now],
  );
  return res.rows.length === 1;
}

export async function getDevice(q: Queryable, appId: string, deviceId: string, now: number, presenceMs: number): Promise<DeviceRow | null> {
  const res = await q.query<DeviceRow>(
    `select d.*, ${statusSql("$3", "$4")} as status from trro_devices d where d.app_id = $1 and d.device_id = $2`,
    [appId, deviceId, now, presenceMs],
  );
  return res.rows[0] ?? null;
}

export interface DeviceFilter {
  type?: string;
  search?: string;
  /** "online" means ready or connected. */
  status?: "ready" | "connected" | "online";
}

const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listDevices(
  q: Queryable,
  appId: string,
  f: DeviceFilter,
  now: number,
  presenceMs: number,
  limit: number,
  offset: number,
): Promise<{ total: number; rows: DeviceRow[] }> {
  const statuses = f.status === undefined ? null : f.status === "online" ? ["ready", "connected"] : [f.status];
  // The devices in open sessions are found once (not per device) for a whole project.
  const res = await q.query<DeviceRow & { total: number }>(
    `with busy as (
       select field_device_id as device_id from trro_sessions where app_id = $1 and end_time is null
       union select remote_device_id from trro_sessions where app_id = $1 and end_time is null)
     select *, count(*) over () as total from (
       select d.*,
         case when not d.online or d.last_seen is null or d.last_seen < $5::bigint - $6::bigint then 'offline'
              when b.device_id is not null then 'connected' else 'ready' end as status
       from trro_devices d left join busy b on b.device_id = d.device_id
       where d.app_id = $1 and ($2::text is null or d.device_type = $2)
         and ($3::text is null or d.device_id ilike $3 or d.name ilike $3)
     ) x
     where $4::text[] is null or x.status = any($4::text[])
     order by device_id limit $7 offset $8`,
    [appId, f.type ?? null, f.search ? likePattern(f.search) : null, statuses, now, presenceMs, limit, offset],
  );
  let total = res.rows[0]?.total;
  if (total === undefined) {
    if (offset === 0) total = 0;
    else return listDevices(q, appId, f, now, presenceMs, 1, 0).then((r) => ({ total: r.total, rows: [] }));
  }
  return { total, rows: res.rows };
}

export async function updateDevice(
  q: Queryable,
  appId: string,
  deviceId: string,
  p: { name?: string; token?: string },
  now: number,
): Promise<boolean> {
  const res = await q.query(
    `update trro_devices set name = coalesce($3, name), token_hash = coalesce($4, token_hash), modify_time = $5,
       token_revoked_at = case when $4::text is null then token_revoked_at end
     where app_id = $1 and device_id = $2 returning device_id`,
    [appId, deviceId, p.name ?? null, p.token ? tokenHash(p.token) : null, now],
  );
  return res.rows.length === 1;
}

/** Deletes the devices that exist; returns the ids that did not. Their past sessions stay, their policies go. */
export async function deleteDevices(q: Queryable, appId: string, deviceIds: string[]): Promise<string[]> {
  const res = await q.query<{ device_id: string }>(
    `delete from trro_devices where app_id = $1 and device_id = any($2::text[]) returning device_id`,
    [appId, deviceIds],
  );
  const deleted = new Set(res.rows.map((r) => r.device_id));
  // A deleted device leaves every access list, on either side (a device created again
  // under the same id starts with none).
  await q.query(
    `delete from trro_policies where app_id = $1 and (remote_device_id = any($2::text[]) or field_device_id = any($2::text[]))`,
    [appId, [...deleted]],
  );
  return [...new Set(deviceIds)].filter((id) => !deleted.has(id));
}

/**
 * The hash of the device's token, or undefined when there is no such device or its token was
 * revoked. Read on every report, never cached: a revocation holds at once on every instance.
 */
export async function deviceTokenHash(q: Queryable, appId: string, deviceId: string): Promise<string | undefined> {
  const res = await q.query<{ token_hash: string }>(
    "select token_hash from trro_devices where app_id = $1 and device_id = $2 and token_revoked_at is null",
    [appId, deviceId],
  );
  return res.rows[0]?.token_hash;
}

/** Revokes the device's token (ModifyDevice with a new DeviceToken lifts it); false when there is no such device or it is revoked already. */
export async function revokeDeviceToken(q: Queryable, appId: string, deviceId: string, now: number): Promise<boolean> {
  const res = await q.query(
    "update trro_devices set token_revoked_at = $3 where app_id = $1 and device_id = $2 and token_revoked_at is null",
    [appId, deviceId, now],
  );
  return res.rowCount > 0;
}

/** GetDevices: the devices of the account's TRRO projects (or one of them), by project age then id. */
export async function accountDevices(
  q: Queryable,
  accountId: string,
  f: { appId?: string; deviceId?: string },
  limit: number,
  offset: number,
): Promise<{ total: number; rows: { device_id: string; name: string }[] }> {
  const where = `a.account_id = $1 and 'trro' = any(a.products) and ($2::text is null or d.app_id = $2) and ($3::text is null or d.device_id = $3)`;
  const params = [accountId, f.appId ?? null, f.deviceId ?? null];
  const rows = await q.query<{ device_id: string; name: string }>(
    `select d.device_id, d.name from trro_devices d join apps a on a.app_id = d.app_id
     where ${where} order by a.created_at, d.app_id, d.device_id limit $4 offset $5`,
    [...params, limit, offset],
  );
  const count = await q.query<{ n: number }>(
    `select count(*)::int as n from trro_devices d join apps a on a.app_id = d.app_id where ${where}`,
    params,
  );
  return { total: count.rows[0]!.n, rows: rows.rows };
}
