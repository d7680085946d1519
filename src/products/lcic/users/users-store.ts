// Registered LCIC users. UserIds are generated strings, unique across apps (LoginUser,
// DescribeUser and DeleteUser name a user without its SdkAppId); OriginId is unique per app.
import { alnum } from "../../../ids.ts";
import type { Queryable } from "../../../storage/db.ts";

export interface User {
  SdkAppId: number;
  UserId: string;
  Name: string;
  Avatar: string;
  OriginId: string;
}

interface UserRow {
  app_id: string;
  user_id: string;
  name: string;
  avatar: string;
  origin_id: string;
}

export const toUser = (r: UserRow): User => ({
  SdkAppId: Number(r.app_id),
  UserId: r.user_id,
  Name: r.name,
  Avatar: r.avatar,
  OriginId: r.origin_id,
});

/** Real UserIds are 27-character alphanumeric strings. */
export const newUserId = (): string => alnum(27);
/** The login token (7 days in the cloud): an opaque string; roomledger does not run the client app that would check it. */
export const newToken = (): string => alnum(64);

export async function userById(q: Queryable, userId: string, appIds: readonly string[]): Promise<User | null> {
  const rows = await q.query<UserRow>("select * from lcic_users where user_id = $1 and app_id = any($2::text[])", [userId, appIds]);
  return rows.rows[0] ? toUser(rows.rows[0]) : null;
}

export async function userByOriginId(q: Queryable, originId: string, appIds: readonly string[]): Promise<User | null> {
  const rows = await q.query<UserRow>(
    "select * from lcic_users where origin_id = $1 and app_id = any($2::text[]) order by created_at, app_id limit 1",
    [originId, appIds],
  );
  return rows.rows[0] ? toUser(rows.rows[0]) : null;
}

/** Every user of the given apps with this OriginId (unique per app, so one per app), oldest first. */
export async function usersByOriginId(q: Queryable, originId: string, appIds: readonly string[]): Promise<User[]> {
  const rows = await q.query<UserRow>(
    "select * from lcic_users where origin_id = $1 and app_id = any($2::text[]) order by created_at, app_id",
    [originId, appIds],
  );
  return rows.rows.map(toUser);
}

/** Changes a user's name and/or avatar (undefined: unchanged). */
export async function updateProfile(
  q: Queryable,
  appId: string,
  userId: string,
  change: { name?: string; avatar?: string },
): Promise<void> {
  await q.query("update lcic_users set name = coalesce($3, name), avatar = coalesce($4, avatar) where app_id = $1 and user_id = $2", [
    appId,
    userId,
    change.name ?? null,
    change.avatar ?? null,
  ]);
}

/** The ids among `userIds` that are not registered users of the app. */
export async function unknownUsers(q: Queryable, appId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await q.query<{ user_id: string }>("select user_id from lcic_users where app_id = $1 and user_id = any($2::text[])", [
    appId,
    userIds,
  ]);
  const known = new Set(rows.rows.map((r) => r.user_id));
  return userIds.filter((u) => !known.has(u));
}

export interface NewUser {
  appId: string;
  userId: string;
  originId: string;
  name: string;
  avatar: string;
}

/** Inserts a user; a taken OriginId is a unique violation for the caller to map. */
export async function insertUser(q: Queryable, u: NewUser, now: number): Promise<void> {
  await q.query("insert into lcic_users (app_id, user_id, origin_id, name, avatar, created_at) values ($1, $2, $3, $4, $5, $6)", [
    u.appId,
    u.userId,
    u.originId,
    u.name,
    u.avatar,
    now,
  ]);
}

/** Inserts the users, or updates the name and avatar of an existing OriginId; returns the user id stored for each (app, OriginId). */
export async function upsertUsers(
  q: Queryable,
  users: readonly NewUser[],
  now: number,
): Promise<{ app_id: string; user_id: string; origin_id: string }[]> {
  const res = await q.query<{ app_id: string; user_id: string; origin_id: string }>(
    `insert into lcic_users (app_id, user_id, origin_id, name, avatar, created_at)
     select *, $6::bigint from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     on conflict (app_id, origin_id) do update set name = excluded.name, avatar = excluded.avatar
     returning app_id, user_id, origin_id`,
    [
      users.map((r) => r.appId),
      users.map((r) => r.userId),
      users.map((r) => r.originId),
      users.map((r) => r.name),
      users.map((r) => r.avatar),
      now,
    ],
  );
  return res.rows;
}

export async function userInAnyGroup(q: Queryable, appId: string, userId: string): Promise<boolean> {
  const res = await q.query("select 1 from lcic_group_members where app_id = $1 and user_id = $2 limit 1", [appId, userId]);
  return res.rows.length > 0;
}

export async function deleteUserRow(q: Queryable, appId: string, userId: string): Promise<void> {
  await q.query("delete from lcic_users where app_id = $1 and user_id = $2", [appId, userId]);
}

/** A page of an app's users, oldest first, and how many it has. */
export async function usersPage(q: Queryable, appId: string, limit: number, offset: number): Promise<{ total: number; users: User[] }> {
  const total = await q.query<{ n: number }>("select count(*)::int as n from lcic_users where app_id = $1", [appId]);
  const rows = await q.query<UserRow>(
    'select * from lcic_users where app_id = $1 order by created_at, user_id collate "C" limit $2 offset $3',
    [appId, limit, offset],
  );
  return { total: total.rows[0]!.n, users: rows.rows.map(toUser) };
}

/** The names of those of the users that exist, by user id. */
export async function userNames(q: Queryable, appId: string, userIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await q.query<{ user_id: string; name: string }>(
    "select user_id, name from lcic_users where app_id = $1 and user_id = any($2::text[])",
    [appId, userIds],
  );
  return new Map(rows.rows.map((r) => [r.user_id, r.name]));
}
