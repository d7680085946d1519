// Disk cost of the tables retention trims (issue 16 item 8), per row, on PGlite and
// PostgreSQL: `node bench/retention-size.ts` (PGlite and a throwaway PostgreSQL; BENCH_ROWS
// sets the events per kind, default 20,000). A real server in this process; the events go
// through the real ingest API in batches of 500, so each row is exactly what ingest writes:
// - LCIC class events (join with device, IP and location; mic, camera, hand, message with
//   a short text; quit), each stored twice: the ingest log and the room's event log;
// - GME presence events (enter, leave), each in the ingest log and the presence history;
// - finished agent tasks, written by the agent task store (createTask, finishTask) with a
//   whiteboard push's spec (its UserSig is most of it).
// Bytes per row = growth of pg_total_relation_size (heap, TOAST, every index) / rows added,
// measured after a CHECKPOINT so that PGlite's files are written out.
import { randomUUID } from "node:crypto";
import tencentcloud from "tencentcloud-sdk-nodejs";
import { createDatabase, givenOrNewPostgres, startInProcess } from "../test/support/harness.ts";
import { createTask, finishTask } from "../src/agent/tasks.ts";
import { makeUserSig } from "../src/products/tiw/user-sig.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const BATCH = 500;
const TABLES = ["ingest_events", "lcic_room_events", "gme_presence_marks", "agent_tasks"] as const;

type Sizes = Record<(typeof TABLES)[number], { bytes: number; rows: number }>;

async function post(url: string, key: string, events: unknown[]): Promise<void> {
  const res = await fetch(`${url}/ingest/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(events),
  });
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

const LCIC_TYPES = ["lcic.mic.on", "lcic.camera.on", "lcic.hand.raised", "lcic.message.sent", "lcic.mic.off", "lcic.camera.off"];

async function measure(databaseUrl: string | null): Promise<Sizes> {
  const started = await startInProcess({ databaseUrl, env: { ROOMLEDGER_RATE_LIMIT: "0" } });
  const { platform, credentials, url } = started.server;
  const db = platform.db;
  const sizes = async (): Promise<Sizes> => {
    await db.query("checkpoint");
    const out = {} as Sizes;
    for (const t of TABLES) {
      const r = await db.query<{ bytes: string; rows: string }>(
        `select pg_total_relation_size('${t}')::bigint as bytes, (select count(*) from ${t})::bigint as rows`,
      );
      out[t] = { bytes: Number(r.rows[0]!.bytes), rows: Number(r.rows[0]!.rows) };
    }
    return out;
  };
  try {
    const before = await sizes();
    // LCIC: a class of 200 members.
    const lcicApp = await platform.tenancy.createApp(credentials.accountId, ["lcic"], "", db);
    const lcicKey = (await platform.tenancy.createIngestKey(lcicApp.appId)).key;
    const client = new tencentcloud.lcic.v20220817.Client({
      credential: { secretId: credentials.secretId, secretKey: credentials.secretKey },
      profile: { httpProfile: { endpoint: new URL(url).host, protocol: "http://" } as never },
    });
    const nowMs = platform.clock.now();
    const roomId = (
      await client.CreateRoom({
        SdkAppId: Number(lcicApp.appId),
        Name: "bench",
        StartTime: Math.floor(nowMs / 1000) + 1,
        EndTime: Math.floor(nowMs / 1000) + 48 * 3600,
        Resolution: 1,
        MaxMicNumber: 6,
        SubType: "video",
      })
    ).RoomId!;
    await post(url, lcicKey, [
      { id: randomUUID(), type: "lcic.member.joined", ctime: nowMs + 1000, data: { RoomId: roomId, UserId: "teacher", Role: 1 } },
    ]);
    for (let i = 0; i < ROWS; i += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, ROWS - i) }, (_, j) => {
        const n = i + j;
        const user = `student-${n % 200}`;
        const step = Math.floor(n / 200) % (LCIC_TYPES.length + 2);
        const ctime = nowMs + 2000 + n;
        const type = step === 0 ? "lcic.member.joined" : step === LCIC_TYPES.length + 1 ? "lcic.member.quit" : LCIC_TYPES[step - 1]!;
        const data: Record<string, unknown> = { RoomId: roomId, UserId: user };
        if (type === "lcic.member.joined") Object.assign(data, { Device: 1, IPAddress: "203.0.113.17", Location: "Shenzhen" });
        if (type === "lcic.message.sent") data.Text = "Could you repeat the last step, please?";
        return { id: randomUUID(), type, ctime, data };
      });
      await post(url, lcicKey, events);
    }
    // GME: voice rooms of 10, users entering and leaving.
    const gmeApp = await platform.tenancy.createApp(credentials.accountId, ["gme"], "", db);
    const gmeKey = (await platform.tenancy.createIngestKey(gmeApp.appId)).key;
    for (let i = 0; i < ROWS; i += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, ROWS - i) }, (_, j) => {
        const n = i + j;
        return {
          id: randomUUID(),
          type: n % 2 === 0 ? "gme.user.entered" : "gme.user.left",
          ctime: nowMs + n,
          data: { roomId: `voice-room-${Math.floor(n / 20)}`, userId: `player-${Math.floor(n / 2) % 10}` },
        };
      });
      await post(url, gmeKey, events);
    }
    // Finished agent tasks: whiteboard pushes.
    const tasks = Math.max(1, Math.floor(ROWS / 4));
    for (let i = 0; i < tasks; i += BATCH) {
      await db.transaction(async (tx) => {
        for (let n = i; n < Math.min(tasks, i + BATCH); n++) {
          const taskId = randomUUID().replace(/-/g, "");
          const user = `tic_push_user_${n}`;
          const spec = {
            SdkAppId: 1400000001,
            RoomId: 1000 + n,
            PushUserId: user,
            PushUserSig: makeUserSig(1400000001, user, "bench-secret"),
            TRTCAuthParam: null,
          };
          await createTask(tx, { appId: "1400000001", taskId, kind: "tiw-push", spec, maxAttempts: 3, now: nowMs });
          await finishTask(tx, "1400000001", taskId, nowMs + 1);
        }
      });
    }
    const after = await sizes();
    const out = {} as Sizes;
    for (const t of TABLES) out[t] = { bytes: after[t].bytes - before[t].bytes, rows: after[t].rows - before[t].rows };
    return out;
  } finally {
    await started.stop();
  }
}

const pg = await givenOrNewPostgres();
try {
  const results: [string, Sizes][] = [
    ["PGlite", await measure(null)],
    ["PostgreSQL", await measure(await createDatabase(pg.url))],
  ];
  for (const [backend, sizes] of results) {
    for (const t of TABLES) {
      const { bytes, rows } = sizes[t];
      process.stdout.write(
        `[retention-size] ${backend} ${t}: ${rows.toLocaleString("en-US")} rows, ${bytes.toLocaleString("en-US")} bytes, ${(bytes / Math.max(1, rows)).toFixed(0)} bytes/row\n`,
      );
    }
  }
} finally {
  await pg.stop();
}
