// The demo's set-up, as an operator and an integrator would do it: apps, ingest keys and
// worker credentials (the push worker's, the recorder's) through the admin API; users, the class room, the TRRO project and its devices through
// the official SDK.
import { randomBytes } from "node:crypto";
import type { Target } from "./target.ts";
import { lcicClient, politely, trroClient, type LcicClient, type TrroClient } from "./clients.ts";
import type { Scenario } from "./scenario.ts";
import { CLASS_SECONDS } from "./scenario.ts";

export interface Setup {
  sdkAppId: number;
  classKey: string;
  rtcAppId: string;
  rtcKey: string;
  bizId: number;
  gmeKey: string;
  /** Worker credentials: the whiteboard push worker's (tiw-push), the voice recorder's (gme-record). */
  pushCredential: string;
  recorderCredential: string;
  projectId: string;
  deviceToken: string;
  userIds: Map<string, string>;
  roomId: number;
  /** The class's start, Unix seconds (domain time). */
  startS: number;
  lcic: LcicClient;
  trro: TrroClient;
}

async function app(t: Target, products: string[], name: string): Promise<{ appId: string; key: string }> {
  const { appId } = await t.admin<{ appId: string }>("POST", "/apps", { products, name });
  const { key } = await t.admin<{ key: string }>("POST", "/ingest-keys", { appId });
  return { appId, key };
}

async function workerCredential(t: Target, appId: string, kind: string): Promise<string> {
  return (await t.admin<{ credential: string }>("POST", "/worker-credentials", { appId, kinds: [kind], label: `demo ${kind}` })).credential;
}

export async function setUp(t: Target, s: Scenario): Promise<Setup> {
  const school = await app(t, ["lcic", "tiw"], "demo school");
  const rtc = await app(t, ["rtc"], "demo school QoS");
  const voice = await app(t, ["gme"], "demo school voice");
  // Recording is a console switch in the cloud; here it is the admin API.
  await t.admin("POST", `/gme/apps/${voice.appId}/recording`, { opened: true });
  const sdkAppId = Number(school.appId);
  const pushCredential = await workerCredential(t, school.appId, "tiw-push");
  const recorderCredential = await workerCredential(t, voice.appId, "gme-record");

  const lcic = lcicClient(t);
  const userIds = new Map<string, string>();
  const staff = s.cls.members.filter((m) => m.role !== 0);
  const students = s.cls.members.filter((m) => m.role === 0);
  for (const m of staff) userIds.set(m.name, (await politely(() => lcic.RegisterUser({ SdkAppId: sdkAppId, Name: m.name }))).UserId!);
  const registered = await politely(() => lcic.BatchRegister({ Users: students.map((m) => ({ SdkAppId: sdkAppId, Name: m.name })) }));
  registered.Users!.forEach((u, i) => userIds.set(students[i]!.name, u.UserId!));

  const { now } = await t.admin<{ now: number }>("GET", "/clock");
  // The next whole minute, plus one: the room is created before it starts.
  const startS = Math.ceil(now / 60_000) * 60 + 60;
  const teacher = staff.find((m) => m.role === 1)!;
  const assistants = staff.filter((m) => m.role === 2).map((m) => userIds.get(m.name)!);
  const { RoomId } = await politely(() =>
    lcic.CreateRoom({
      SdkAppId: sdkAppId,
      Name: "Algebra, lesson 7",
      StartTime: startS,
      EndTime: startS + CLASS_SECONDS,
      Resolution: 2,
      MaxMicNumber: 6,
      SubType: "videodoc",
      TeacherId: userIds.get(teacher.name)!,
      Assistants: assistants,
      EndDelayTime: -1,
    } as never),
  );

  const trro = trroClient(t);
  const { ProjectId } = await politely(() =>
    trro.CreateProject({ ProjectName: "Demo fleet", ProjectDescription: "20 field devices, 5 consoles" } as never),
  );
  const deviceToken = randomBytes(8).toString("hex");
  for (const [ids, type] of [
    [s.fleet.fields, "field"],
    [s.fleet.consoles, "remote"],
  ] as const) {
    for (const id of ids) {
      await politely(() =>
        trro.CreateDevice({
          ProjectId: ProjectId!,
          DeviceId: id,
          DeviceName: id.replace("_", " "),
          DeviceType: type,
          DeviceToken: deviceToken,
        }),
      );
    }
  }
  return {
    sdkAppId,
    classKey: school.key,
    rtcAppId: rtc.appId,
    rtcKey: rtc.key,
    bizId: Number(voice.appId),
    gmeKey: voice.key,
    pushCredential,
    recorderCredential,
    projectId: ProjectId!,
    deviceToken,
    userIds,
    roomId: RoomId!,
    startS,
    lcic,
    trro,
  };
}
