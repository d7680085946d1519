// The users and the group a room configuration names must exist in its app.
import type { Queryable } from "../../../storage/db.ts";
import { lcicErrors } from "../errors.ts";
import { existingGroups } from "../groups/groups-store.ts";
import type { RoomConfig } from "./room-config.ts";
import { unknownUsers } from "../users/users-store.ts";

export async function checkReferences(q: Queryable, appId: string, c: RoomConfig): Promise<void> {
  const users = [...new Set([c.TeacherId, ...c.Assistants, ...c.Guests].filter((u) => u !== ""))];
  if ((await unknownUsers(q, appId, users)).length > 0) throw lcicErrors.userNotFound();
  if (c.GroupId && (await existingGroups(q, appId, [c.GroupId])).size === 0) throw lcicErrors.groupNotFound();
}
