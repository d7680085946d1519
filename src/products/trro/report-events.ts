// The ingest event types of TRRO device reports. Devices send them to their own endpoint
// (report-routes.ts), which authenticates the device and fills in `deviceId`; an app's
// ingest key may also send them to /ingest/v1/events on behalf of its devices.
//
// Order inside a batch: types are applied in the order they first appear, so a batch that
// starts a session and reports its metrics must put `trro.session.started` first.
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import { defineEventType, type IngestEvent } from "../../ingest/event-type.ts";
import type { Queryable } from "../../storage/db.ts";
import type { App } from "../../tenancy/accounts.ts";
import type { ProductContext } from "../../product-context.ts";
import { devicesOf, endSession, insertSession, joinSession, sessionsOf, storeSamples, touchDevices } from "./report-store.ts";
import { projectRow } from "./project-store.ts";
import { sampleSeverity } from "./quality.ts";
import { resolution } from "./wire-format.ts";
import { SILENCE_JOB } from "./silence-job.ts";

const DeviceRef = Type.String({
  pattern: "^[a-z0-9_]{1,32}$",
  description: "the reporting device (filled in by the device endpoint from its authentication)",
});
// Session ids are "<ProjectId>-<suffix>", as in the real API ("abcdefg-50f7-...-0" in
// project "abcdefg"): DescribeDeviceSessionDetails takes no ProjectId and finds it there.
const SessionId = Type.String({
  pattern: "^[a-z0-9]{1,32}-[A-Za-z0-9_-]{1,64}$",
  description: "'<ProjectId>-<suffix>', chosen by the devices; both sides report the same id",
});
const Metric = (description: string) => Type.Number({ minimum: 0, maximum: 1e9, description });
const OptionalMetric = (description: string) => Type.Optional(Metric(description));

const Presence = Type.Object({ deviceId: DeviceRef }, { additionalProperties: false });

const SessionStarted = Type.Object(
  {
    deviceId: DeviceRef,
    sessionId: SessionId,
    peerDeviceId: Type.String({ pattern: "^[a-z0-9_]{1,32}$", description: "the device at the other end (of the other type)" }),
    width: Type.Optional(Type.Integer({ minimum: 1, maximum: 16384, description: "video width in pixels" })),
    height: Type.Optional(Type.Integer({ minimum: 1, maximum: 16384, description: "video height in pixels" })),
    configWidth: Type.Optional(Type.Integer({ minimum: 1, maximum: 16384 })),
    configHeight: Type.Optional(Type.Integer({ minimum: 1, maximum: 16384 })),
    ver: Type.Optional(Type.String({ maxLength: 32, description: "SDK version" })),
    sdkMode: Type.Optional(Type.Union([Type.Literal("p2p"), Type.Literal("server")])),
    multiMode: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)], { description: "0 one network, 1 several" })),
  },
  { additionalProperties: false },
);

const NetSample = Type.Object(
  {
    netId: Type.Integer({ minimum: 0, maximum: 64 }),
    netIp: Type.Optional(Type.String({ maxLength: 64 })),
    rtt: OptionalMetric("ms"),
    lost: OptionalMetric("%"),
    sendBps: OptionalMetric("kbps"),
    recvBps: OptionalMetric("kbps"),
  },
  { additionalProperties: false },
);

/** The series of SessionDeviceDetail, one point per sample; `ctime` is the sample's time. */
export const SessionMetrics = Type.Object(
  {
    deviceId: DeviceRef,
    sessionId: SessionId,
    rate: Metric("bitrate, kbps"),
    fps: Metric("frames per second"),
    lost: Type.Number({ minimum: 0, maximum: 100, description: "packet loss, %" }),
    networkLatency: Metric("network latency, ms"),
    videoLatency: Metric("video latency, ms"),
    cpuUsed: Type.Number({ minimum: 0, maximum: 100, description: "CPU, %" }),
    memUsed: Type.Number({ minimum: 0, maximum: 100, description: "memory, %" }),
    decodeCost: OptionalMetric("ms"),
    encodeCost: OptionalMetric("ms"),
    captureCost: OptionalMetric("ms"),
    renderCost: OptionalMetric("ms"),
    k100: OptionalMetric("stalls over 100 ms"),
    k150: OptionalMetric("stalls over 150 ms"),
    nack: OptionalMetric("NACK requests"),
    bitRateEstimate: OptionalMetric("server-side bitrate control, kbps"),
    totalBitrateEstimate: OptionalMetric("kbps"),
    frameDelta: OptionalMetric("mean frame interval, ms"),
    maxFrameDelta: OptionalMetric("max frame interval, ms"),
    lag100Duration: OptionalMetric("ms"),
    lag150Duration: OptionalMetric("ms"),
    controlLatency: OptionalMetric("control channel round trip, ms"),
    width: Type.Optional(Type.Integer({ minimum: 1, maximum: 16384 })),
    height: Type.Optional(Type.Integer({ minimum: 1, maximum: 16384 })),
    multiNet: Type.Optional(Type.Array(NetSample, { maxItems: 8 })),
  },
  { additionalProperties: false },
);
export type SessionMetricsData = Static<typeof SessionMetrics>;

const SessionEnded = Type.Object({ deviceId: DeviceRef, sessionId: SessionId }, { additionalProperties: false });

/** A report that contradicts what is stored: the whole batch is refused (400), nothing kept. */
function refused(events: { id: string; reason: string }[]): ApiError {
  const err = new ApiError("InvalidBatch", {
    message: `${events.length} event(s) contradict the project's devices or sessions; nothing was stored`,
    httpStatus: 400,
  });
  (err as ApiError & { events: unknown }).events = events;
  return err;
}

async function requireDevices(tx: Queryable, app: App, events: IngestEvent<{ deviceId: string }>[]) {
  const devices = await devicesOf(
    tx,
    app.appId,
    events.map((e) => e.data.deviceId),
  );
  const bad = events.filter((e) => !devices.has(e.data.deviceId));
  if (bad.length) throw refused(bad.map((e) => ({ id: e.id, reason: `no device '${e.data.deviceId}' in the project` })));
  return devices;
}

const presence = (type: string, online: boolean) =>
  defineEventType({
    type,
    product: "trro",
    data: Presence,
    async apply(tx, app, events) {
      await requireDevices(tx, app, events);
      await touchDevices(
        tx,
        app.appId,
        events.map((e) => ({ deviceId: e.data.deviceId, ctime: e.ctime, online })),
        events[0]!.stime,
      );
    },
  });

export const deviceOnline = presence("trro.device.online", true);
export const deviceHeartbeat = presence("trro.device.heartbeat", true);
export const deviceOffline = presence("trro.device.offline", false);

export const sessionStarted = defineEventType({
  type: "trro.session.started",
  product: "trro",
  data: SessionStarted,
  async apply(tx, app, events, ctx) {
    const devices = await devicesOf(
      tx,
      app.appId,
      events.flatMap((e) => [e.data.deviceId, e.data.peerDeviceId]),
    );
    const project = await projectRow(tx, app.appId);
    const stime = events[0]!.stime;
    for (const e of events) {
      const d = e.data;
      const me = devices.get(d.deviceId);
      const peer = devices.get(d.peerDeviceId);
      const reason = !d.sessionId.startsWith(`${app.appId}-`)
        ? `sessionId must start with the project id '${app.appId}-'`
        : !me
          ? `no device '${d.deviceId}' in the project`
          : !peer
            ? `no peer device '${d.peerDeviceId}' in the project`
            : me.device_type === peer.device_type
              ? "a session joins a field device and a remote device"
              : null;
      if (reason) throw refused([{ id: e.id, reason }]);
      const side = me!.device_type;
      const field = side === "field" ? d.deviceId : d.peerDeviceId;
      const remote = side === "field" ? d.peerDeviceId : d.deviceId;
      const info = {
        width: d.width,
        height: d.height,
        configWidth: d.configWidth,
        configHeight: d.configHeight,
        ver: d.ver,
        sdkMode: d.sdkMode,
        multiMode: d.multiMode,
      };
      const res = resolution(d.width, d.height);
      const [fieldNo, remoteNo] = side === "field" ? [me!.device_no, peer!.device_no] : [peer!.device_no, me!.device_no];
      // Both sides may start the session at the same moment: the insert that loses the race
      // (on conflict, nothing inserted) joins the session the other created.
      const created = await insertSession(tx, {
        appId: app.appId,
        sessionId: d.sessionId,
        fieldDeviceId: field,
        remoteDeviceId: remote,
        fieldNo,
        remoteNo,
        side,
        resolution: res,
        ctime: e.ctime,
        stime,
        info,
      });
      if (created) {
        // The silence watch: first due one silence after this report (silence-job.ts).
        await ctx.jobs.enqueue(
          SILENCE_JOB,
          { appId: app.appId, sessionId: d.sessionId },
          { runAt: stime + (project?.silence_ms ?? 60_000), tx },
        );
        continue;
      }
      const existing = (await sessionsOf(tx, app.appId, [d.sessionId], true)).get(d.sessionId)!;
      if (existing.field_device_id !== field || existing.remote_device_id !== remote) {
        throw refused([{ id: e.id, reason: `session '${d.sessionId}' joins other devices` }]);
      }
      await joinSession(tx, { appId: app.appId, sessionId: d.sessionId, side, resolution: res, ctime: e.ctime, stime, info });
    }
    await touchDevices(
      tx,
      app.appId,
      events.map((e) => ({ deviceId: e.data.deviceId, ctime: e.ctime, online: true })),
      stime,
    );
  },
});

async function requireSides(tx: Queryable, app: App, events: IngestEvent<{ deviceId: string; sessionId: string }>[]) {
  const sessions = await sessionsOf(
    tx,
    app.appId,
    events.map((e) => e.data.sessionId),
  );
  const bad: { id: string; reason: string }[] = [];
  for (const e of events) {
    const s = sessions.get(e.data.sessionId);
    if (!s) bad.push({ id: e.id, reason: `no session '${e.data.sessionId}' (report trro.session.started first)` });
    else if (s.field_device_id !== e.data.deviceId && s.remote_device_id !== e.data.deviceId) {
      bad.push({ id: e.id, reason: `device '${e.data.deviceId}' is not a side of session '${e.data.sessionId}'` });
    }
  }
  if (bad.length) throw refused(bad.slice(0, 1000));
  return sessions;
}

export const sessionEnded = defineEventType({
  type: "trro.session.ended",
  product: "trro",
  data: SessionEnded,
  async apply(tx, app, events) {
    const sessions = await requireSides(tx, app, events);
    const stime = events[0]!.stime;
    for (const e of events) {
      const s = sessions.get(e.data.sessionId)!;
      const side = s.field_device_id === e.data.deviceId ? "field" : "remote";
      await endSession(tx, { appId: app.appId, sessionId: e.data.sessionId, side, ctime: e.ctime, stime });
    }
    await touchDevices(
      tx,
      app.appId,
      events.map((e) => ({ deviceId: e.data.deviceId, ctime: e.ctime, online: true })),
      stime,
    );
  },
});

// High volume: samples are stored in their own table (deduplicated on session, device and
// sample time), not in the generic event log.
export const sessionMetrics = defineEventType({
  type: "trro.session.metrics",
  product: "trro",
  data: SessionMetrics,
  async store(tx, app, events, _ctx: ProductContext) {
    await requireSides(tx, app, events);
    const stime = events[0]!.stime;
    const accepted = await storeSamples(
      tx,
      app.appId,
      events.map((e) => {
        const { deviceId, sessionId, ...m } = e.data;
        return { sessionId, deviceId, t: e.ctime, m, ...sampleSeverity(m.networkLatency, m.lost) };
      }),
      stime,
    );
    await touchDevices(
      tx,
      app.appId,
      events.map((e) => ({ deviceId: e.data.deviceId, ctime: e.ctime, online: true })),
      stime,
    );
    return { accepted };
  },
});

export const reportEvents = [deviceOnline, deviceHeartbeat, deviceOffline, sessionStarted, sessionMetrics, sessionEnded];
