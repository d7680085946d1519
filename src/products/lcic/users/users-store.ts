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

/** The ids among `userIds` that are not registered users of the app. */
export async function unknownUsers(q: Queryable, appId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await q.query<{ user_id: string }>("select user_id from lcic_users where app_id = $1 and user_id = any($2::text[])", [appId, userIds]);
  const known = new Set(rows.rows.map((r) => r.user_id));
  return userIds.filter((u) => !known.has(u));
}
