// Helpers of the LCIC acceptance tests: an app, the official SDK client, the domain clock,
// and the ingest API as the LCIC client app would report a class.
import assert from "node:assert/strict";
import type { TestServer } from "../support/server.ts";
import { clientConfig, sdk, type ClientOptions } from "../support/tencent.ts";

export type LcicClient = InstanceType<typeof sdk.lcic.v20220817.Client>;

export const lcicClient = (server: TestServer, o: ClientOptions = {}): LcicClient =>
  new sdk.lcic.v20220817.Client(clientConfig(server, o) as never);

export interface LcicApp {
  appId: string;
  sdkAppId: number;
  client: LcicClient;
  ingestKey: string;
  /** A worker credential for lcic-record: what a recorder authenticates with. */
  worker: string;
}

export async function lcicApp(server: TestServer): Promise<LcicApp> {
  const appId = await server.createApp(["lcic"]);
  return {
    appId,
    sdkAppId: Number(appId),
    client: lcicClient(server),
    ingestKey: await server.ingestKey(appId),
    worker: await server.workerCredential(appId, ["lcic-record"]),
  };
}

/** Domain time of the server, Unix seconds. */
export async function serverNow(server: TestServer): Promise<number> {
  const { now } = await server.admin<{ now: number }>("GET", "/clock");
  return Math.floor(now / 1000);
}

export interface Ev {
  id: string;
  type: string;
  ctime: number;
  data: Record<string, unknown>;
}

export async function postEvents(server: TestServer, key: string, events: Ev[]): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/ingest/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  return { status: res.status, body: await res.json() };
}

export async function ingest(server: TestServer, key: string, events: Ev[]): Promise<void> {
  const r = await postEvents(server, key, events);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Builds events of one room with unique ids; times in Unix seconds (sent as ms). */
export function eventFactory(roomId: number, prefix = "ev") {
  let n = 0;
  return (type: string, atS: number, userId: string, data: Record<string, unknown> = {}): Ev => ({
    id: `${prefix}-${++n}`,
    type,
    ctime: atS * 1000,
    data: { RoomId: roomId, UserId: userId, ...data },
  });
}

export async function createRoom(app: LcicApp, start: number, over: Record<string, unknown> = {}): Promise<number> {
  const res = await app.client.CreateRoom({
    SdkAppId: app.sdkAppId,
    Name: "Physics 101",
    StartTime: start,
    EndTime: start + 3600,
    Resolution: 1,
    MaxMicNumber: 6,
    SubType: "videodoc",
    ...over,
  } as never);
  return res.RoomId!;
}
