// Groups (上课班): the expected attendees of a room bound to one with CreateRoom.GroupId.
// A basic group (GroupType 0) has members of its own; a combined group (联合群组, GroupType 1,
// CreateGroupWithSubGroup) has none: its members are those of its sub groups, in the order
// the sub groups were named, each member once.
import { alnum } from "../../../ids.ts";
import type { Queryable } from "../../../storage/db.ts";
import { lcicErrors } from "../errors.ts";
import { unknownUsers } from "../users/users-store.ts";

/** At most 200 members per call (CreateGroupWithMembers, BatchAddGroupMember, AddGroupMember, DeleteGroupMember). */
export const MAX_MEMBERS_PER_CALL = 200;

export const GroupType = { Basic: 0, Combined: 1 } as const;

export interface Group {
  groupId: string;
  name: string;
  teacherId: string;
  groupType: number;
  /** A combined group's sub groups, in order; [] for a basic group. */
  subGroupIds: string[];
}

interface GroupRow {
  group_id: string;
  name: string;
  teacher_id: string;
  group_type: number;
  sub_group_ids: string[] | null;
}

const toGroup = (r: GroupRow): Group => ({
  groupId: r.group_id,
  name: r.name,
  teacherId: r.teacher_id,
  groupType: Number(r.group_type),
  subGroupIds: r.sub_group_ids ?? [],
});

const GROUP_COLUMNS = `g.group_id, g.name, g.teacher_id, g.group_type,
  (select array_agg(s.sub_group_id order by s.ord) from lcic_sub_groups s where s.app_id = g.app_id and s.group_id = g.group_id) as sub_group_ids`;

/** The groups of the app among `groupIds`, by id. */
export async function groupsByIds(q: Queryable, appId: string, groupIds: readonly string[]): Promise<Map<string, Group>> {
  const rows = await q.query<GroupRow>(`select ${GROUP_COLUMNS} from lcic_groups g where g.app_id = $1 and g.group_id = any($2::text[])`, [
    appId,
    groupIds,
  ]);
  return new Map(rows.rows.map((r) => [r.group_id, toGroup(r)]));
}

/**
 * A page of the app's groups in creation order, and how many match: those of a teacher, or
 * (when no teacher is given) those a member is in, directly or through a sub group.
 */
export async function groupsPage(
  q: Queryable,
  appId: string,
  filter: { teacherId: string | null; memberId: string | null },
  limit: number,
  offset: number,
): Promise<{ total: number; groups: Group[] }> {
  const where = `g.app_id = $1 and ($2::text is null or g.teacher_id = $2) and ($3::text is null or g.group_id in (
      select m.group_id from lcic_group_members m where m.app_id = $1 and m.user_id = $3
      union
      select s.group_id from lcic_sub_groups s join lcic_group_members m on m.app_id = s.app_id and m.group_id = s.sub_group_id
       where s.app_id = $1 and m.user_id = $3))`;
  const params = [appId, filter.teacherId, filter.memberId];
  const total = await q.query<{ n: number }>(`select count(*)::int as n from lcic_groups g where ${where}`, params);
  const rows = await q.query<GroupRow>(`select ${GROUP_COLUMNS} from lcic_groups g where ${where} order by g.pos limit $4 offset $5`, [
    ...params,
    limit,
    offset,
  ]);
  return { total: total.rows[0]!.n, groups: rows.rows.map(toGroup) };
}

export async function updateGroup(
  q: Queryable,
  appId: string,
  groupId: string,
  change: { name?: string; teacherId?: string },
): Promise<void> {
  await q.query(
    "update lcic_groups set name = coalesce($3, name), teacher_id = coalesce($4, teacher_id) where app_id = $1 and group_id = $2",
    [appId, groupId, change.name ?? null, change.teacherId ?? null],
  );
}

/** Removes the members from the (basic) groups; members not in a group are skipped. */
export async function removeMembers(q: Queryable, appId: string, groupIds: readonly string[], memberIds: readonly string[]): Promise<void> {
  await q.query("delete from lcic_group_members where app_id = $1 and group_id = any($2::text[]) and user_id = any($3::text[])", [
    appId,
    groupIds,
    memberIds,
  ]);
}

export async function insertSubGroups(q: Queryable, appId: string, groupId: string, subGroupIds: readonly string[]): Promise<void> {
  await q.query(
    `insert into lcic_sub_groups (app_id, group_id, sub_group_id, ord)
     select $1, $2, s.id, s.ord::int from unnest($3::text[]) with ordinality as s(id, ord)`,
    [appId, groupId, subGroupIds],
  );
}

/** Those of `userIds` that are members of any of the groups (directly, or through a combined group's sub groups). */
export async function membersAmong(
  q: Queryable,
  appId: string,
  groupIds: readonly string[],
  userIds: readonly string[],
): Promise<string[]> {
  if (groupIds.length === 0 || userIds.length === 0) return [];
  const rows = await q.query<{ user_id: string }>(
    `select distinct m.user_id from lcic_group_members m
     where m.app_id = $1 and m.user_id = any($3::text[]) and (m.group_id = any($2::text[]) or m.group_id in (
       select s.sub_group_id from lcic_sub_groups s where s.app_id = $1 and s.group_id = any($2::text[])))`,
    [appId, groupIds, userIds],
  );
  return rows.rows.map((r) => r.user_id);
}

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

/**
 * The basic groups a member change names: each must exist in the app (GroupNotExist) and
 * be basic (a combined group's members are its sub groups': GroupTypeInvalid), and no
 * member may be the teacher of one of them (GroupTeacherNotMember).
 */
export async function memberChangeGroups(
  q: Queryable,
  appId: string,
  groupIds: readonly string[],
  memberIds: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(groupIds)];
  const groups = await groupsByIds(q, appId, unique);
  if (groups.size !== unique.length) throw lcicErrors.groupNotFound();
  const members = new Set(memberIds);
  for (const g of groups.values()) {
    if (g.groupType !== GroupType.Basic) throw lcicErrors.groupTypeInvalid();
    if (g.teacherId !== "" && members.has(g.teacherId)) throw lcicErrors.groupTeacherNotMember();
  }
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
  g: { appId: string; groupId: string; name: string; teacherId: string; groupType?: number },
  now: number,
): Promise<void> {
  await q.query("insert into lcic_groups (app_id, group_id, name, teacher_id, group_type, created_at) values ($1, $2, $3, $4, $5, $6)", [
    g.appId,
    g.groupId,
    g.name,
    g.teacherId,
    g.groupType ?? GroupType.Basic,
    now,
  ]);
}

/**
 * Deletes the groups and their members. A deleted basic group leaves the combined groups it
 * was a sub group of (they keep their other sub groups); a deleted combined group leaves its
 * sub groups as they were.
 */
export async function deleteGroups(q: Queryable, appId: string, groupIds: readonly string[]): Promise<void> {
  await q.query("delete from lcic_group_members where app_id = $1 and group_id = any($2::text[])", [appId, groupIds]);
  await q.query("delete from lcic_sub_groups where app_id = $1 and (group_id = any($2::text[]) or sub_group_id = any($2::text[]))", [
    appId,
    groupIds,
  ]);
  await q.query("delete from lcic_groups where app_id = $1 and group_id = any($2::text[])", [appId, groupIds]);
}

// A group's effective members: its own (a basic group), or its sub groups' (a combined group),
// each member once, at its first place (sub group order, then the order added).
const EFFECTIVE_MEMBERS = `select distinct on (m.user_id) m.user_id, coalesce(s.ord, 0) as ord, m.pos, s.sub_group_id
  from lcic_group_members m
  left join lcic_sub_groups s on s.app_id = m.app_id and s.group_id = $2 and s.sub_group_id = m.group_id
  where m.app_id = $1 and (m.group_id = $2 or s.sub_group_id is not null)
  order by m.user_id, coalesce(s.ord, 0), m.pos`;

/** A page of a group's members in the order they were added, and how many it has. */
export async function groupMembersPage(
  q: Queryable,
  appId: string,
  groupId: string,
  limit: number,
  offset: number,
): Promise<{ total: number; memberIds: string[] }> {
  const total = await q.query<{ n: number }>(`select count(*)::int as n from (${EFFECTIVE_MEMBERS}) e`, [appId, groupId]);
  const rows = await q.query<{ user_id: string }>(`select user_id from (${EFFECTIVE_MEMBERS}) e order by ord, pos limit $3 offset $4`, [
    appId,
    groupId,
    limit,
    offset,
  ]);
  return { total: total.rows[0]!.n, memberIds: rows.rows.map((r) => r.user_id) };
}

/**
 * A group's effective members, each with the sub groups they are in (in sub group order;
 * empty for a basic group's members): DescribeRoomStatistics' SubGroupId.
 */
export async function groupMemberships(q: Queryable, appId: string, groupId: string): Promise<Map<string, string[]>> {
  const rows = await q.query<{ user_id: string; sub_group_id: string | null }>(
    `select m.user_id, s.sub_group_id from lcic_group_members m
     left join lcic_sub_groups s on s.app_id = m.app_id and s.group_id = $2 and s.sub_group_id = m.group_id
     where m.app_id = $1 and (m.group_id = $2 or s.sub_group_id is not null)
     order by coalesce(s.ord, 0), m.pos`,
    [appId, groupId],
  );
  const members = new Map<string, string[]>();
  for (const r of rows.rows) {
    const subs = members.get(r.user_id) ?? [];
    if (r.sub_group_id !== null) subs.push(r.sub_group_id);
    members.set(r.user_id, subs);
  }
  return members;
}
