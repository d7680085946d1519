// How an SFU's rooms and participants map to the clouds' ids. Defaults: the room name is the
// cloud's RoomId, the participant identity is the UserId. An explicit mapping per app and
// source overrides them where a deployment names things otherwise.
import type { Queryable } from "../../storage/db.ts";

export async function setRoomMapping(q: Queryable, appId: string, source: string, room: string, target: string): Promise<void> {
  await q.query(
    `insert into source_room_map (app_id, source, room, target) values ($1, $2, $3, $4)
     on conflict (app_id, source, room) do update set target = excluded.target`,
    [appId, source, room, target],
  );
}

export async function setUserMapping(q: Queryable, appId: string, source: string, identity: string, userId: string): Promise<void> {
  await q.query(
    `insert into source_user_map (app_id, source, identity, user_id) values ($1, $2, $3, $4)
     on conflict (app_id, source, identity) do update set user_id = excluded.user_id`,
    [appId, source, identity, userId],
  );
}

/** The cloud's room id of an SFU room (the name itself unless mapped). */
export async function mappedRoom(q: Queryable, appId: string, source: string, room: string): Promise<string> {
  const res = await q.query<{ target: string }>("select target from source_room_map where app_id = $1 and source = $2 and room = $3", [
    appId,
    source,
    room,
  ]);
  return res.rows[0]?.target ?? room;
}

/** The UserIds of identities (each identity itself unless mapped). */
export async function mappedUsers(
  q: Queryable,
  appId: string,
  source: string,
  identities: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map(identities.map((i) => [i, i]));
  if (identities.length === 0) return out;
  const res = await q.query<{ identity: string; user_id: string }>(
    "select identity, user_id from source_user_map where app_id = $1 and source = $2 and identity = any($3::text[])",
    [appId, source, identities],
  );
  for (const r of res.rows) out.set(r.identity, r.user_id);
  return out;
}
