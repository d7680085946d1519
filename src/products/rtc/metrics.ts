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
