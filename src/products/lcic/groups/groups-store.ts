// Groups (上课班): the expected attendees of a room bound to one with CreateRoom.GroupId.
import { alnum } from "../../../ids.ts";
import type { Queryable } from "../../../storage/db.ts";
import { lcicErrors } from "../errors.ts";
import { unknownUsers } from "../users/users-store.ts";

/** At most 200 members per call (CreateGroupWithMembers, BatchAddGroupMember). */
export const MAX_MEMBERS_PER_CALL = 200;

export const newGroupId = (): string => alnum(27);

export async function existingGroups(q: Queryable, appId: string, groupIds: readonly string[]): Promise<Set<string>> {
  const rows = await q.query<{ group_id: string }>("select group_id from lcic_groups where app_id = $1 and group_id = any($2::text[])", [
    appId,
    groupIds,
  ]);
  return new Set(rows.rows.map((r) => r.group_id));
}

/** Checks the member list of a call and returns it without repeats. */
export async function checkedMembers(q: Queryable, appId: string, memberIds: readonly string[]): Promise<string[]> {
  if (memberIds.length > MAX_MEMBERS_PER_CALL) throw lcicErrors.groupMemberOverLimit();
  const unique = [...new Set(memberIds)];
  if ((await unknownUsers(q, appId, unique)).length > 0) throw lcicErrors.groupPartUsersNotExist();
  return unique;
}

export async function addMembers(
  q: Queryable,
  appId: string,
  groupIds: readonly string[],
  memberIds: readonly string[],
  now: number,
): Promise<void> {
  if (memberIds.length === 0 || groupIds.length === 0) return;
  const g: string[] = [];
  const m: string[] = [];
  for (const group of groupIds) for (const member of memberIds) g.push(group), m.push(member);
  await q.query(
    `insert into lcic_group_members (app_id, group_id, user_id, added_at)
     select $1, *, $4::bigint from unnest($2::text[], $3::text[]) on conflict do nothing`,
    [appId, g, m, now],
  );
}

export async function insertGroup(
  q: Queryable,
  g: { appId: string; groupId: string; name: string; teacherId: string },
  now: number,
): Promise<void> {
  await q.query("insert into lcic_groups (app_id, group_id, name, teacher_id, created_at) values ($1, $2, $3, $4, $5)", [
    g.appId,
    g.groupId,
    g.name,
    g.teacherId,
    now,
  ]);
}

/** Deletes the groups and their members. */
export async function deleteGroups(q: Queryable, appId: string, groupIds: readonly string[]): Promise<void> {
  await q.query("delete from lcic_group_members where app_id = $1 and group_id = any($2::text[])", [appId, groupIds]);
  await q.query("delete from lcic_groups where app_id = $1 and group_id = any($2::text[])", [appId, groupIds]);
}

/** A page of a group's members in the order they were added, and how many it has. */
export async function groupMembersPage(
  q: Queryable,
  appId: string,
  groupId: string,
  limit: number,
  offset: number,
): Promise<{ total: number; memberIds: string[] }> {
  const total = await q.query<{ n: number }>("select count(*)::int as n from lcic_group_members where app_id = $1 and group_id = $2", [
    appId,
    groupId,
  ]);
  const rows = await q.query<{ user_id: string }>(
    `select user_id from lcic_group_members where app_id = $1 and group_id = $2
     order by pos limit $3 offset $4`,
    [appId, groupId, limit, offset],
  );
  return { total: total.rows[0]!.n, memberIds: rows.rows.map((r) => r.user_id) };
}

export async function groupMemberIds(q: Queryable, appId: string, groupId: string): Promise<string[]> {
  const rows = await q.query<{ user_id: string }>("select user_id from lcic_group_members where app_id = $1 and group_id = $2", [
    appId,
    groupId,
  ]);
  return rows.rows.map((r) => r.user_id);
}
