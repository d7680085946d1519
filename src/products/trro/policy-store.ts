// SQL of the access policies (trro_policies): per project and mode (black/white), each remote
// device's list of field devices.
import type { Db, Queryable } from "../../storage/db.ts";

export interface PolicyRow {
  remote_device_id: string;
  field_device_ids: string[];
  modify_time: number;
}

const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of a mode's policies, by RemoteDeviceId. With a search, a policy matches when its
 * remote device id (remoteMatch) or one of its field device ids (fieldMatch) contains the
 * words; a matched policy lists all its field devices. Page and total in one snapshot.
 */
export async function listPolicies(
  db: Db,
  appId: string,
  mode: string,
  search: { field: boolean; words: string } | undefined,
  limit: number,
  offset: number,
): Promise<{ total: number; rows: PolicyRow[] }> {
  return db.transaction(async (tx) => {
    await tx.query("set transaction isolation level repeatable read");
    // $3 is typed in every case (an unused untyped parameter is an error in PostgreSQL).
    const having = !search
      ? "$3::text is null"
      : search.field
        ? "bool_or(field_device_id ilike $3::text)"
        : "remote_device_id ilike $3::text";
    const grouped = `select remote_device_id, array_agg(field_device_id order by field_device_id) as field_device_ids,
                            max(modify_time) as modify_time
                     from trro_policies where app_id = $1 and policy_mode = $2
                     group by remote_device_id having ${having}`;
    const params = [appId, mode, search ? likePattern(search.words) : null];
    const rows = await tx.query<PolicyRow>(`${grouped} order by remote_device_id limit $4 offset $5`, [...params, limit, offset]);
    const count = await tx.query<{ n: number }>(`select count(*)::int as n from (${grouped}) g`, params);
    return { total: count.rows[0]!.n, rows: rows.rows.map((r) => ({ ...r, modify_time: Number(r.modify_time) })) };
  });
}

/** Adds field devices to a remote device's list; one already there is added again (its time moves). */
export async function addPolicyDevices(q: Queryable, appId: string, mode: string, remote: string, fields: string[], now: number) {
  if (fields.length === 0) return;
  await q.query(
    `insert into trro_policies (app_id, policy_mode, remote_device_id, field_device_id, modify_time)
     select $1, $2, $3, f, $5 from unnest($4::text[]) as f
     on conflict (app_id, policy_mode, remote_device_id, field_device_id) do update set modify_time = excluded.modify_time`,
    [appId, mode, remote, fields, now],
  );
}

/** Removes field devices from a remote device's list; returns those that were not on it. */
export async function removePolicyDevices(q: Queryable, appId: string, mode: string, remote: string, fields: string[]): Promise<string[]> {
  const res = await q.query<{ field_device_id: string }>(
    `delete from trro_policies where app_id = $1 and policy_mode = $2 and remote_device_id = $3 and field_device_id = any($4::text[])
     returning field_device_id`,
    [appId, mode, remote, fields],
  );
  const removed = new Set(res.rows.map((r) => r.field_device_id));
  return fields.filter((f) => !removed.has(f));
}

/** Removes the field devices of a remote device's list that are not in `keep`. */
export async function keepOnlyPolicyDevices(q: Queryable, appId: string, mode: string, remote: string, keep: string[]): Promise<void> {
  await q.query(
    `delete from trro_policies where app_id = $1 and policy_mode = $2 and remote_device_id = $3 and not (field_device_id = any($4::text[]))`,
    [appId, mode, remote, keep],
  );
}

/** Deletes the whole lists of remote devices; returns those that had none in this mode. */
export async function deletePolicies(q: Queryable, appId: string, mode: string, remotes: string[]): Promise<string[]> {
  const res = await q.query<{ remote_device_id: string }>(
    `delete from trro_policies where app_id = $1 and policy_mode = $2 and remote_device_id = any($3::text[]) returning remote_device_id`,
    [appId, mode, remotes],
  );
  const deleted = new Set(res.rows.map((r) => r.remote_device_id));
  return remotes.filter((r) => !deleted.has(r));
}

/** The project's devices of a type among ids. */
export async function devicesOfType(q: Queryable, appId: string, type: "field" | "remote", ids: string[]): Promise<Set<string>> {
  const res = await q.query<{ device_id: string }>(
    "select device_id from trro_devices where app_id = $1 and device_type = $2 and device_id = any($3::text[])",
    [appId, type, ids],
  );
  return new Set(res.rows.map((r) => r.device_id));
}
