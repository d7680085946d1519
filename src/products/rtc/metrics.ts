// The 23 metric ids of SparkRTC's client QoS (reference §1.2): the 22 of the API doc plus
// `ablock`, which every generated SDK enum has. The order here is the order of the columns
// of rtc_qos_samples and of the series in an answer.
export const METRIC_IDS = [
  "appcpu",
  "syscpu",
  "abit",
  "ablock",
  "aloss",
  "ajitter",
  "artt",
  "vbit",
  "vfps",
  "vblock",
  "vloss",
  "vwidth",
  "vheight",
  "vjitter",
  "vrtt",
  "dbit",
  "dfps",
  "dblock",
  "dloss",
  "dwidth",
  "dheight",
  "djitter",
  "drtt",
] as const;

export type MetricId = (typeof METRIC_IDS)[number];

const INDEX = new Map<string, number>(METRIC_IDS.map((m, i) => [m, i]));

export const isMetricId = (s: string): s is MetricId => INDEX.has(s);
export const metricIndex = (m: MetricId): number => INDEX.get(m)!;

/**
 * What each metric measures and its unit, as Huawei documents them (reference §1.2; the
 * scale of the rates is not documented: roomledger's clients send percent).
 */
export const METRIC_LABELS: Record<MetricId, { name: string; unit: string }> = {
  appcpu: { name: "app CPU usage", unit: "%" },
  syscpu: { name: "system CPU usage", unit: "%" },
  abit: { name: "audio bitrate", unit: "kbit/s" },
  ablock: { name: "audio freeze rate", unit: "%" },
  aloss: { name: "audio packet loss", unit: "%" },
  ajitter: { name: "audio jitter", unit: "ms" },
  artt: { name: "audio RTT", unit: "ms" },
  vbit: { name: "video bitrate", unit: "kbit/s" },
  vfps: { name: "video frame rate", unit: "fps" },
  vblock: { name: "video freeze rate (stalls ≥ 600 ms)", unit: "%" },
  vloss: { name: "video packet loss", unit: "%" },
  vwidth: { name: "video width", unit: "px" },
  vheight: { name: "video height", unit: "px" },
  vjitter: { name: "video jitter", unit: "ms" },
  vrtt: { name: "video RTT", unit: "ms" },
  dbit: { name: "screen-share bitrate", unit: "kbit/s" },
  dfps: { name: "screen-share frame rate", unit: "fps" },
  dblock: { name: "screen-share freeze rate", unit: "%" },
  dloss: { name: "screen-share packet loss", unit: "%" },
  dwidth: { name: "screen-share width", unit: "px" },
  dheight: { name: "screen-share height", unit: "px" },
  djitter: { name: "screen-share jitter", unit: "ms" },
  drtt: { name: "screen-share RTT", unit: "ms" },
};
