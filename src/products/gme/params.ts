// Checks of the recording actions' parameters that answer with GME's own codes
// (InvalidTaskId, InvalidRoomId, InvalidRecordMode, the list codes) rather than the
// gateway's generic InvalidParameterValue. Type errors stay the gateway's InvalidParameter.
import { Type } from "@sinclair/typebox";
import { tencentErrors } from "../../errors/tencent-common.ts";
import { gmeErrors } from "./errors.ts";
import { couldBeOurTaskId, RECORD_MODES, type SubscribeFilter } from "./recording.ts";

/**
 * TaskId and BizId are declared loosely in the schemas (still required) so that a number
 * too large for an exact id reaches us and gets InvalidTaskId / InvalidBizId instead of the
 * gateway's generic range error: the cloud's own TaskIds (446192236330927912 in the
 * example) are above 2^53 and cannot be ours. `ownRange` tells the gateway's boundary rule
 * (src/protocols/boundary.ts) to leave their magnitude to us: integerOf's callers refuse
 * what is not an exact id.
 */
export const LooseInteger = Type.Unknown({ description: "Integer", ownRange: true });

function integerOf(value: unknown, name: string): number | null {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || !Number.isInteger(value)) throw tencentErrors.invalidParameter(name);
    return value;
  }
  if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) return Number(value.trim());
  throw tencentErrors.invalidParameter(name);
}

export function taskIdOf(value: unknown): number {
  const n = integerOf(value, "TaskId");
  if (n === null || !couldBeOurTaskId(n)) throw gmeErrors.invalidTaskId();
  return n;
}

export function bizIdOf(value: unknown): number {
  const n = integerOf(value, "BizId");
  if (n === null || !Number.isSafeInteger(n) || n <= 0) throw gmeErrors.invalidBizId();
  return n;
}

export function recordModeOf(value: number): 1 | 2 | 3 {
  if (!RECORD_MODES.includes(value)) throw gmeErrors.invalidRecordMode();
  return value as 1 | 2 | 3;
}

/**
 * Room and user ids: 1 to 127 printable ASCII characters (GME's room id limit), no "/"
 * because they become part of a recording's file name.
 */
export const ID_PATTERN = "^[\\x21-\\x2e\\x30-\\x7e]{1,127}$";
const ID = new RegExp(ID_PATTERN);

export const isValidId = (value: string): boolean => ID.test(value);

/** A user id: an id that is not "0" (the mixed stream's UserId in RecordInfo). */
export const isValidUserId = (value: string): boolean => ID.test(value) && value !== "0";

/**
 * The string form of an integer id (RoomId, UserId, Uid of the voice-room actions): rooms and
 * users are strings here, and the integer API names the one whose id is its decimal form.
 * Only ids JavaScript holds exactly (up to 2^53 - 1) can be named this way; a larger one, or a
 * non-integer, is the gateway's type error. The string variants (StrRoomIds...) have no limit.
 */
export function integerIdOf(value: unknown, name: string): string {
  const n = integerOf(value, name);
  if (n === null || !Number.isSafeInteger(n) || n < 0) throw tencentErrors.invalidParameter(name);
  return String(n);
}

/** Whether a user id is an integer one (listed in Uins rather than StrUins). */
export const isIntegerId = (id: string): boolean => /^(0|[1-9][0-9]{0,15})$/.test(id) && Number.isSafeInteger(Number(id));

export function roomIdOf(value: string): string {
  if (!ID.test(value)) throw gmeErrors.invalidRoomId();
  return value;
}

export const SubscribeRecordUserIdsSchema = Type.Object({
  SubscribeUserIds: Type.Optional(Type.Array(Type.String())),
  UnSubscribeUserIds: Type.Optional(Type.Array(Type.String())),
});

export const MAX_LISTED_USERS = 20;

/** An empty list counts as not set; duplicates are dropped. */
export function subscribeFilterOf(v: { SubscribeUserIds?: string[]; UnSubscribeUserIds?: string[] } | undefined): SubscribeFilter {
  const allow = v?.SubscribeUserIds?.length ? [...new Set(v.SubscribeUserIds)] : null;
  const deny = v?.UnSubscribeUserIds?.length ? [...new Set(v.UnSubscribeUserIds)] : null;
  if (allow && deny) throw gmeErrors.invalidSubscribeRecordUserIds();
  if (allow && allow.length > MAX_LISTED_USERS) throw gmeErrors.invalidSubscribeUserIds();
  if (deny && deny.length > MAX_LISTED_USERS) throw gmeErrors.invalidUnSubscribeUserIds();
  for (const id of allow ?? deny ?? []) if (!ID.test(id)) throw gmeErrors.invalidSubscribeRecordUserIds();
  return { subscribe: allow, unsubscribe: deny };
}

/**
 * The wire shape of a filter (DescribeTaskInfo). The SDK's model allows neither the object
 * nor its lists to be null, and the documented example carries both keys: both lists are
 * always there, the one not in use (or both, when every user is recorded) empty — which is
 * also how StartRecord reads an empty list.
 */
export function subscribeFilterOut(f: SubscribeFilter): { SubscribeUserIds: string[]; UnSubscribeUserIds: string[] } {
  return { SubscribeUserIds: f.subscribe ?? [], UnSubscribeUserIds: f.unsubscribe ?? [] };
}
