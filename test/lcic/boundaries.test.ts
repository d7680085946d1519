// Property tests on LCIC's wire boundaries: any request body to the LCIC actions gets a
// Tencent error or an answer (never InternalError, never a crash), and any batch of LCIC
// ingest events with a bad event in it is refused whole (400, nothing stored).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient } from "../support/tencent.ts";
import { createRoom, eventFactory, lcicApp, postEvents, serverNow, type LcicApp } from "./lcic-support.ts";

const ACTIONS = [
  "CreateRoom",
  "DescribeRoom",
  "ModifyRoom",
  "DeleteRoom",
  "StartRoom",
  "EndRoom",
  "GetRooms",
  "RegisterUser",
  "BatchRegister",
  "LoginUser",
  "DescribeUser",
  "DeleteUser",
  "DescribeSdkAppIdUsers",
  "CreateGroupWithMembers",
  "BatchAddGroupMember",
  "DescribeGroupMemberList",
  "DeleteGroup",
  "DescribeCurrentMemberList",
  "SendRoomNormalMessage",
  "KickUserFromRoom",
  "UnblockKickedUser",
  "GetRoomEvent",
  "GetRoomMessage",
  "DescribeRoomStatistics",
];
const FIELDS = [
  "RoomId",
  "SdkAppId",
  "Page",
  "Limit",
  "UserId",
  "Name",
  "StartTime",
  "EndTime",
  "Resolution",
  "MaxMicNumber",
  "SubType",
  "Users",
  "GroupIds",
  "MemberIds",
  "GroupId",
  "GroupName",
  "KickType",
  "Duration",
  "MsgBody",
  "FromAccount",
  "Keyword",
  "Seq",
  "Status",
  "TeacherId",
  "Assistants",
  "EndDelayTime",
  "OriginId",
];

describe("LCIC boundaries (property tests)", () => {
  let server: TestServer;
  let app: LcicApp;
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0"] });
    app = await lcicApp(server);
  });
  after(() => server.stop());

  // Each property has a room of its own: the fuzzer below may modify, end or delete the room
  // it is given, and no other test may depend on what it leaves.
  test("any parameters to any LCIC action: an answer or a documented-shape error, never InternalError", async () => {
    const roomId = await createRoom(app, (await serverNow(server)) + 60);
    const client = commonClient(server, "2022-08-17");
    const value = fc.oneof(
      fc.integer({ min: -5, max: 2_000_000_000 }),
      fc.constantFrom(app.sdkAppId, roomId, 0, 1, -1, 2 ** 53),
      fc.string({ maxLength: 20 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(
        fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.record({ SdkAppId: fc.constant(app.sdkAppId), MsgType: fc.string() })),
        { maxLength: 3 },
      ),
      fc.record({ Text: fc.string() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACTIONS),
        fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }),
        async (action, params) => {
          try {
            const res = (await client.request(action, params)) as Record<string, unknown>;
            assert.ok(typeof res.RequestId === "string");
          } catch (err) {
            const e = err as { code?: string; message: string };
            assert.ok(e.code, `no Tencent error code: ${e.message}`);
            assert.notEqual(e.code, "InternalError", `${action} ${JSON.stringify(params)}: ${e.message}`);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  test("a batch with any bad LCIC event is refused whole and stores nothing", async () => {
    const roomId = await createRoom(app, (await serverNow(server)) + 60);
    const ev = eventFactory(roomId, "fuzz");
    const good = () => ev("lcic.member.joined", Date.now(), "u1", { Role: 0 });
    const bad = fc.oneof(
      fc.record({
        id: fc.string({ minLength: 1 }),
        type: fc.constant("lcic.member.joined"),
        ctime: fc.constant(Date.now()),
        data: fc.record({ RoomId: fc.string(), UserId: fc.string() }),
      }),
      fc.record({
        id: fc.string({ minLength: 1 }),
        type: fc.constant("lcic.member.joined"),
        ctime: fc.constant(Date.now()),
        data: fc.record({ RoomId: fc.constant(roomId), UserId: fc.constant("u"), Device: fc.integer({ min: 8 }) }),
      }),
      fc.record({
        id: fc.string({ minLength: 1 }),
        type: fc.constant("lcic.member.quit"),
        ctime: fc.constant(Date.now()),
        data: fc.record({ RoomId: fc.constant(roomId), UserId: fc.constant("u"), Reason: fc.constant(5) }),
      }),
      fc.record({
        id: fc.string({ minLength: 1 }),
        type: fc.constantFrom("lcic.hand.raised", "lcic.mic.on"),
        ctime: fc.constant(Date.now()),
        data: fc.record({ RoomId: fc.constant(roomId), UserId: fc.constant("") }),
      }),
      fc.record({
        id: fc.string({ minLength: 1 }),
        type: fc.constant("lcic.camera.on"),
        ctime: fc.constant(Date.now()),
        data: fc.record({ RoomId: fc.constant(roomId), UserId: fc.constant("u"), Extra: fc.jsonValue().filter((v) => v !== null) }),
      }),
      // A room that does not exist refuses the batch after validation, in the transaction.
      fc.record({
        id: fc.uuid(),
        type: fc.constant("lcic.hand.raised"),
        ctime: fc.constant(Date.now()),
        data: fc.record({ RoomId: fc.integer({ min: 1, max: 1000 }), UserId: fc.constant("u") }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constant(null), { maxLength: 5 }), bad, fc.nat(5), async (goods, badEvent, at) => {
        const batch: unknown[] = goods.map(() => good());
        batch.splice(Math.min(at, batch.length), 0, badEvent);
        const r = await postEvents(server, app.ingestKey, batch as never);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.ok(r.body.error?.code);
      }),
      { numRuns: 150 },
    );
    const events = await app.client.GetRoomEvent({ RoomId: roomId, SdkAppId: app.sdkAppId, Page: 1, Limit: 10 });
    assert.equal(events.Total, 0, "nothing of a refused batch was stored");
  });
});
