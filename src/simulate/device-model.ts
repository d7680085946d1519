// The behaviour model of a TRRO fleet: consoles (remote drivers) take over field devices one
// after another, each session a few minutes with a pause between. Both ends report the
// session's start, metrics every `metricsEveryS` seconds and its end. One session in ten
// runs on a bad network. Times in seconds from the scenario's start.
import { noise } from "./random.ts";

export interface FleetOptions {
  fields: number;
  consoles: number;
  durationS: number;
  sessionS?: number;
  pauseS?: number;
  metricsEveryS?: number;
}

export interface FleetSession {
  /** The session id's suffix ("<ProjectId>-<suffix>"). */
  suffix: string;
  field: string;
  console: string;
  start: number;
  end: number;
  bad: boolean;
}

export interface FleetScript {
  fields: string[];
  consoles: string[];
  sessions: FleetSession[];
  metricsEveryS: number;
}

export const fieldId = (i: number): string => `field_${String(i + 1).padStart(2, "0")}`;
export const consoleId = (i: number): string => `console_${i + 1}`;

export function fleetScript(o: FleetOptions): FleetScript {
  const sessionS = o.sessionS ?? 270;
  const pauseS = o.pauseS ?? 30;
  const fields = Array.from({ length: o.fields }, (_, i) => fieldId(i));
  const consoles = Array.from({ length: o.consoles }, (_, i) => consoleId(i));
  const sessions: FleetSession[] = [];
  let n = 0;
  for (let c = 0; c < o.consoles; c++) {
    // Consoles start a little apart; field devices are taken in turn, so that no field device
    // is in two sessions at once while there are at least as many as consoles.
    for (let k = 0, start = 10 + c * 7; start + sessionS <= o.durationS; k++, start += sessionS + pauseS) {
      if (o.fields === 0) break;
      const field = fields[(c + k * o.consoles) % o.fields]!;
      sessions.push({ suffix: `c${c + 1}s${k + 1}`, field, console: consoles[c]!, start, end: start + sessionS, bad: n++ % 10 === 7 });
    }
  }
  return { fields, consoles, sessions, metricsEveryS: o.metricsEveryS ?? 10 };
}

export interface DeviceReport {
  id: string;
  type: string;
  ctime: number;
  data: Record<string, unknown>;
}

/** The metrics one end reports at second t of a session. */
export function sessionMetrics(s: FleetSession, side: string, t: number): Record<string, number> {
  const r = (i: number) => noise(`${s.suffix}/${side}`, t * 8 + i);
  const bad = s.bad ? 1 : 0;
  return {
    rate: Math.round(1800 + 600 * r(0) - bad * 1200),
    fps: Math.round(26 + 4 * r(1) - bad * 14),
    lost: Math.round((r(2) + bad * 15) * 10) / 10,
    networkLatency: Math.round(30 + 30 * r(3) + bad * 350),
    videoLatency: Math.round(100 + 60 * r(4) + bad * 600),
    cpuUsed: Math.round(25 + 30 * r(5)),
    memUsed: Math.round(40 + 20 * r(6)),
  };
}

/**
 * What each device reports in [fromS, toS): session started (both ends, the field device
 * first), metrics, session ended. Keyed by device id; `startS` is the scenario's start in
 * Unix seconds, `projectId` prefixes the session ids.
 */
export function deviceReports(
  fleet: FleetScript,
  projectId: string,
  startS: number,
  fromS: number,
  toS: number,
): Map<string, DeviceReport[]> {
  const out = new Map<string, DeviceReport[]>();
  const add = (device: string, r: DeviceReport) => {
    const list = out.get(device) ?? [];
    list.push(r);
    out.set(device, list);
  };
  const within = (t: number) => t >= fromS && t < toS;
  for (const s of fleet.sessions) {
    if (s.end < fromS || s.start >= toS) continue;
    const sessionId = `${projectId}-${s.suffix}`;
    for (const [side, peer] of [
      [s.field, s.console],
      [s.console, s.field],
    ] as const) {
      const ms = (t: number) => (startS + t) * 1000;
      if (within(s.start)) {
        add(side, {
          id: `${s.suffix}-start`,
          type: "trro.session.started",
          ctime: ms(s.start),
          data: { sessionId, peerDeviceId: peer, width: 1920, height: 1080, sdkMode: "server" },
        });
      }
      for (let t = s.start + fleet.metricsEveryS; t < s.end; t += fleet.metricsEveryS) {
        if (within(t))
          add(side, {
            id: `${s.suffix}-m${t}`,
            type: "trro.session.metrics",
            ctime: ms(t),
            data: { sessionId, ...sessionMetrics(s, side, t) },
          });
      }
      if (within(s.end)) add(side, { id: `${s.suffix}-end`, type: "trro.session.ended", ctime: ms(s.end), data: { sessionId } });
    }
  }
  return out;
}
