// LCIC callbacks end to end: the callback URL and key set with the CLI (`roomledger
// callbacks set`), a loopback receiver that checks every signature, and deliveries of
// RoomStart, MemberJoin, MemberQuit and RoomEnd that survive the receiver being down.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { BIN, startServer, type TestServer } from "../support/server.ts";
import { eventFactory, ingest, lcicApp, serverNow, type LcicApp } from "./lcic-support.ts";

const KEY = "NjFGoDEy";
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

interface Delivery {
  EventType: string;
  EventData: Record<string, unknown>;
  SdkAppId: number;
  Timestamp: number;
  ExpireTime: number;
}

class Receiver {
  readonly deliveries: Delivery[] = [];
  readonly badSignatures: unknown[] = [];
  private server: http.Server | null = null;
  port = 0;
  async up(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const msg = JSON.parse(body);
        if (msg.Sign !== md5(KEY + msg.ExpireTime) || msg.ExpireTime <= msg.Timestamp) this.badSignatures.push(msg);
        else this.deliveries.push(msg);
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", () => r()));
    this.port = (this.server!.address() as AddressInfo).port;
  }
  async down(): Promise<void> {
    const s = this.server!;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
    this.server = null;
  }
  async waitFor(n: number, ms = 10_000): Promise<void> {
    const until = Date.now() + ms;
    while (this.deliveries.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  }
  types(): string[] {
    return this.deliveries.map((d) => `${d.EventType}:${(d.EventData.UserId as string | undefined) ?? ""}:${d.EventData.Reason ?? ""}`);
  }
}

describe("LCIC callbacks", () => {
  let server: TestServer;
  let app: LcicApp;
  const receiver = new Receiver();
  before(async () => {
    server = await startServer();
    app = await lcicApp(server);
    await receiver.up();
  });
  after(async () => {
    await server.stop();
  });

  test("the reference's signature example", () => {
    assert.equal(md5("NjFGoDEy1614151508"), "b9454ab5a85f9b7ad36071f5688ed34d");
  });

  test("signed deliveries, at least once, across a receiver outage", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      BIN,
      "callbacks",
      "set",
      "--app",
      app.appId,
      "--product",
      "lcic",
      "--url",
      `http://127.0.0.1:${receiver.port}/lcic`,
      "--key",
      KEY,
      "--data",
      server.dataDir,
    ]);
    assert.match(stdout, /callback for/);
    const c = app.client;
    const now = await serverNow(server);
    const roomId = (
      await c.CreateRoom({
        SdkAppId: app.sdkAppId,
        Name: "cb",
        StartTime: now + 60,
        EndTime: now + 3600,
        Resolution: 1,
        MaxMicNumber: 1,
        SubType: "video",
      })
    ).RoomId!;
    await c.StartRoom({ RoomId: roomId });
    await receiver.waitFor(1);
    assert.deepEqual(receiver.types(), ["RoomStart::"]);
    assert.deepEqual(receiver.deliveries[0]!.EventData, { RoomId: roomId });
    assert.equal(receiver.deliveries[0]!.SdkAppId, app.sdkAppId);

    // The receiver goes down; the class goes on and ends.
    await receiver.down();
    const ev = eventFactory(roomId, "cb");
    await ingest(server, app.ingestKey, [
      ev("lcic.member.joined", now, "alice", { Role: 0, Device: 3 }),
      ev("lcic.member.joined", now, "bob", { Role: 0, Device: 5 }),
      ev("lcic.member.heartbeat_lost", now + 1, "bob"),
    ]);
    await c.EndRoom({ RoomId: roomId });
    await new Promise((r) => setTimeout(r, 300)); // first attempts fail against a closed port
    assert.equal(receiver.deliveries.length, 1);

    // Back up: the retries (backoff on the domain clock) deliver everything.
    await receiver.up();
    await server.advance(700);
    await receiver.waitFor(6);
    assert.deepEqual(receiver.badSignatures, []);
    const got = new Set(receiver.types());
    assert.deepEqual([...got].sort(), [
      "MemberJoin:alice:",
      "MemberJoin:bob:",
      "MemberQuit:alice:5",
      "MemberQuit:bob:4",
      "RoomEnd::",
      "RoomStart::",
    ]);
    const join = receiver.deliveries.find((d) => d.EventType === "MemberJoin" && d.EventData.UserId === "alice")!;
    assert.deepEqual(join.EventData, { RoomId: roomId, UserId: "alice", Device: 3, Role: 0 });
    // Delivered at least once, and nothing more arrives once delivered.
    const count = receiver.deliveries.length;
    await server.advance(3600);
    assert.equal(receiver.deliveries.length, count);
    await receiver.down();
  });
});
