// SQL of TRRO projects (the trro_projects row beside the platform's app).
import type { Queryable } from "../../storage/db.ts";
import type { App } from "../../tenancy/accounts.ts";

export interface ProjectRow {
  app_id: string;
  name: string;
  description: string;
  policy_mode: string;
  modify_time: number;
  presence_ms: number;
  silence_ms: number;
  max_duration_ms: number;
  sec_mode: number;
  project_key: string;
  auto_register: number;
  field_list_enable: number;
}

export async function insertProject(
  q: Queryable,
  appId: string,
  p: { name: string; description: string; policyMode: string },
  now: number,
): Promise<void> {
  await q.query(`insert into trro_projects (app_id, name, description, policy_mode, modify_time) values ($1, $2, $3, $4, $5)`, [
    appId,
    p.name,
    p.description,
    p.policyMode,
    now,
  ]);
}

/** The project's row, created from the app when missing; null if the app is gone. */
export async function ensureProjectRow(q: Queryable, app: App, now: number): Promise<ProjectRow | null> {
  const found = await q.query<ProjectRow>("select * from trro_projects where app_id = $1", [app.appId]);
  if (found.rows[0]) return found.rows[0];
  const made = await q.query<ProjectRow>(
    `insert into trro_projects (app_id, name, modify_time)
     select app_id, left(name, 24), $2 from apps where app_id = $1
     on conflict (app_id) do update set app_id = excluded.app_id
     returning *`,
    [app.appId, now],
  );
  return made.rows[0] ?? null;
}

export async function projectRow(q: Queryable, appId: string): Promise<ProjectRow | null> {
  const found = await q.query<ProjectRow>("select * from trro_projects where app_id = $1", [appId]);
  return found.rows[0] ?? null;
}

export async function listProjects(
  q: Queryable,
  accountId: string,
  limit: number,
  offset: number,
): Promise<{ total: number; rows: (ProjectRow & { created_at: number })[] }> {
  // Projects made through the admin API may have no trro_projects row yet: the app stands in.
  const rows = await q.query<ProjectRow & { created_at: number; total: number }>(
    `select a.app_id, coalesce(p.name, left(a.name, 24)) as name, coalesce(p.description, '') as description,
            coalesce(p.policy_mode, 'black') as policy_mode, coalesce(p.modify_time, a.created_at) as modify_time,
            a.created_at, count(*) over () as total
     from apps a left join trro_projects p using (app_id)
     where a.account_id = $1 and 'trro' = any(a.products)
     order by a.created_at, a.app_id
     limit $2 offset $3`,
    [accountId, limit, offset],
  );
  let total = rows.rows[0]?.total;
  if (total === undefined) {
    const c = await q.query<{ n: number }>(`select count(*)::int as n from apps where account_id = $1 and 'trro' = any(products)`, [
      accountId,
    ]);
    total = c.rows[0]!.n;
  }
  return { total, rows: rows.rows };
}

export async function updateProject(
  q: Queryable,
  appId: string,
  p: { name?: string; description?: string; policyMode?: string },
  now: number,
): Promise<void> {
  await q.query(
    `update trro_projects set name = coalesce($2, name), description = coalesce($3, description),
       policy_mode = coalesce($4, policy_mode), modify_time = $5 where app_id = $1`,
    [appId, p.name ?? null, p.description ?? null, p.policyMode ?? null, now],
  );
}

export async function updateSettings(q: Queryable, appId: string, s: { presenceMs?: number; silenceMs?: number }): Promise<void> {
  await q.query(
    `update trro_projects set presence_ms = coalesce($2, presence_ms), silence_ms = coalesce($3, silence_ms) where app_id = $1`,
    [appId, s.presenceMs ?? null, s.silenceMs ?? null],
  );
}

/** Deletes everything of the project; the caller then deletes the app. */
export async function deleteProjectData(q: Queryable, appId: string): Promise<void> {
  for (const table of [
    "trro_samples",
    "trro_session_days",
    "trro_policies",
    "trro_tasks",
    "trro_sessions",
    "trro_devices",
    "trro_projects",
    "ingest_events",
  ]) {
    await q.query(`delete from ${table} where app_id = $1`, [appId]);
  }
}

/** ModifyProjectSecMode's fields; undefined keeps a field. */
export async function updateSecMode(
  q: Queryable,
  appId: string,
  s: { mode: number; key: string; autoRegister?: number; fieldListEnable?: number },
): Promise<void> {
  await q.query(
    `update trro_projects set sec_mode = $2, project_key = $3, auto_register = coalesce($4, auto_register),
       field_list_enable = coalesce($5, field_list_enable) where app_id = $1`,
    [appId, s.mode, s.key, s.autoRegister ?? null, s.fieldListEnable ?? null],
  );
}
