// Property tests on the TIW boundaries: any StartWhiteboardPush / Stop / Describe request
// gets a documented answer (never InternalError), and any batch of tiw ingest events is
// either stored whole or refused whole with 400, never a 500.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { sdkError } from "../support/tencent.ts";
import { ingest, pushUser, tiwApp, tiwClient, type TiwClient } from "./helpers.ts";

// Every code the TIW actions may answer: the common ones of the gateway's validation and
// TIW's own (reference §8.2).
const DOCUMENTED = new Set([
  "MissingParameter",
  "InvalidParameterValue",
  "UnknownParameter",
  "InvalidParameter",
  "InvalidParameter.BodyParameterTypeUnmatched",
  "InvalidParameter.RecordParameter",
  "InvalidParameter.InvalidExtra",
  "InvalidParameter.SdkAppIdNotFound",
  "InvalidParameter.TaskNotFound",
  "InvalidParameter.CallbackAddressFormatError",
  "LimitExceeded.TaskConcurrency",
  "ResourceInUse.RecordUserId",
  "ResourceUnavailable.NotRegistered",
  "UnauthorizedOperation.SdkAppId",
  "UnsupportedOperation.TaskHasAlreadyStopped",
  "FailedOperation.WhiteboardPush",
]);

describe("TIW properties", () => {
  let server: TestServer;
  let c: TiwClient;
  before(async () => {
    server = await startServer({ env: { ROOMLEDGER_RATE_LIMIT: "0" } });
    c = tiwClient(server);
  });
  after(() => server.stop());

  // Each property gets an app of its own: the fuzzers start and stop pushes in whatever app
  // they are given, and no other property may depend on what they leave.
  async function freshApp(): Promise<{ appId: number; key: string }> {
    const app = await tiwApp(server);
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxConcurrentPushes: 1_000_000 });
    return app;
  }

  const anyValue = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, anyValue);

  test("StartWhiteboardPush: any request is answered with a TaskId or a documented error", async () => {
    const app = await freshApp();
    const req = fc.record(
      {
        SdkAppId: maybe(fc.constantFrom(app.appId, 1, 0, -1)),
        RoomId: maybe(fc.integer({ min: -1, max: 2 ** 33 })),
        PushUserId: maybe(fc.string({ maxLength: 70 })),
        PushUserSig: maybe(fc.string()),
        Whiteboard: maybe(
          fc.record({ Width: maybe(fc.integer()), Height: maybe(fc.integer()), InitParam: maybe(fc.string()) }, { requiredKeys: [] }),
        ),
        AutoStopTimeout: maybe(fc.integer({ min: 0, max: 300000 })),
        VideoFPS: maybe(fc.integer({ min: -5, max: 40 })),
        VideoBitrate: maybe(fc.integer({ min: -5, max: 3000 })),
        TRTCEnterRoomMode: maybe(fc.constantFrom("TRTCAppSceneVideoCall", "TRTCAppSceneLIVE", "x")),
        UserDefinedRecordId: maybe(fc.string({ maxLength: 70 })),
        Backup: maybe(fc.record({ PushUserId: maybe(fc.string()), PushUserSig: maybe(fc.string()) }, { requiredKeys: [] })),
        ExtraData: maybe(fc.constantFrom("", "x")),
        GroupId: maybe(fc.string({ maxLength: 130 })),
        Unknown: anyValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(req, async (r) => {
        try {
          const res = await c.StartWhiteboardPush(r as never);
          assert.match(res.TaskId!, /^[a-z0-9]{20}$/);
        } catch (err) {
          const code = (err as { code?: string }).code;
          assert.ok(code && DOCUMENTED.has(code), `${JSON.stringify(r)} → ${code}: ${(err as Error).message}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  test("Stop and Describe: any TaskId and SdkAppId get a documented answer", async () => {
    const app = await freshApp();
    const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 1, PushUserId: pushUser(), PushUserSig: "s" });
    const args = fc.record(
      { SdkAppId: maybe(fc.constantFrom(app.appId, 7)), TaskId: maybe(fc.oneof(fc.constant(TaskId!), fc.string({ maxLength: 140 }))) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(args, fc.boolean(), async (r, stop) => {
        const call = stop ? c.StopWhiteboardPush(r as never) : c.DescribeWhiteboardPush(r as never);
        const err = await sdkError(call).catch(() => null);
        if (err) assert.ok(err.code && DOCUMENTED.has(err.code), `${JSON.stringify(r)} → ${err.code}`);
      }),
      { numRuns: 150 },
    );
  });

  test("tiw ingest events: a batch is stored whole or refused whole (400 naming each bad event), never a 500", async () => {
    const app = await freshApp();
    const event = fc.record(
      {
        id: maybe(fc.string({ minLength: 1, maxLength: 20 })),
        type: fc.oneof(fc.constantFrom("tiw.whiteboard.activity", "tiw.av.upstream"), fc.string()),
        ctime: maybe(fc.nat()),
        data: fc.oneof(
          fc.record({ roomId: maybe(fc.integer({ min: -1, max: 2 ** 33 })), userId: maybe(fc.string()) }, { requiredKeys: [] }),
          fc.record(
            { trtcRoomId: maybe(fc.oneof(fc.integer(), fc.string({ maxLength: 70 }))), userId: maybe(fc.string({ maxLength: 130 })) },
            { requiredKeys: [] },
          ),
          anyValue,
        ),
      },
      { requiredKeys: ["type"] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), async (events) => {
        const res = await ingest(server, app.key, events);
        assert.ok(res.status === 200 || res.status === 400, `→ ${res.status}`);
        const body = (await res.json()) as { accepted?: number; error?: { events: { index: number }[] } };
        if (res.status === 400) assert.ok(body.error!.events.length >= 1);
      }),
      { numRuns: 150 },
    );
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });
});
