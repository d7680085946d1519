// Playback tokens (GetPlaybackToken, BatchGetPlaybackToken, DescribePlaybackList's URLs):
// JWTs signed with HS256 by a key of the app's own, carrying exactly what the cloud's carry
// (decoded from its examples): {"class_id": RoomId, "exp": Unix s}, header
// {"alg":"HS256","typ":"JWT"} in that order. ExpireSeconds 0 (or none) means "不过期":
// the cloud then sets exp 100 years of 365 days ahead (its examples' exp is exactly
// 3,153,600,000 s after the call), and so do we.
//
// Written here rather than taken from a JWT library: signing one fixed HS256 shape is a
// single HMAC, and nothing in roomledger verifies third-party tokens.
import { createHmac } from "node:crypto";
import { hex } from "../../../ids.ts";
import type { Queryable } from "../../../storage/db.ts";
import { playbackKey } from "./record-store.ts";

export const NEVER_EXPIRES_S = 100 * 365 * 86_400;

const b64url = (s: string | Buffer): string => Buffer.from(s).toString("base64url");
const HEADER = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

export function signPlaybackToken(key: string, roomId: number, exp: number): string {
  const body = `${HEADER}.${b64url(JSON.stringify({ class_id: roomId, exp }))}`;
  return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

/** The expiry of a token asked for at `nowMs` with `expireSeconds` (0 or none: never). */
export const tokenExpiry = (nowMs: number, expireSeconds: number | undefined): number =>
  Math.floor(nowMs / 1000) + (expireSeconds ? expireSeconds : NEVER_EXPIRES_S);

/** The app's signing key (made on first use). */
export const appPlaybackKey = (q: Queryable, appId: string): Promise<string> => playbackKey(q, appId, hex(32));

/**
 * The playback page of a room. The cloud's is its own player
 * (https://class.qcloudclass.com/playback/index.html?classid=...&token=...); roomledger
 * serves no player, so the same path and query are put on the reserved host
 * `playback.roomledger.invalid` (RFC 2606): an app can read classid and token from it as
 * from the cloud's, and nothing can load a wrong page from it.
 */
export const playbackUrl = (roomId: number, token: string): string =>
  `https://playback.roomledger.invalid/playback/index.html?classid=${roomId}&token=${token}`;
