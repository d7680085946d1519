// How a session's Quality (good/normal/bad) follows from its metric samples. Pure rule, no I/O.
//
// The real service does not publish its rule; ours reads like a 95th percentile:
// - a sample is "bad" when its network latency is above 300 ms or its loss above 10 %,
//   and "poor" (which includes bad) above 150 ms or 3 %;
// - a session is "bad" when more than 5 % of its samples are bad (its p95 sample is bad),
//   "normal" when more than 5 % are poor, otherwise "good";
// - a session without any sample is "normal": there is no evidence either way, and it
//   counts as not bad in NotBadSessionRatio.
// Samples of both sides count. Counters are kept on the session as samples arrive, so the
// quality of an open session is always that of the samples received so far.

export type Quality = "good" | "normal" | "bad";

export const QUALITY_RULE = {
  poorLatencyMs: 150,
  badLatencyMs: 300,
  poorLossPercent: 3,
  badLossPercent: 10,
  /** A session is as bad as its worst 5 %: the share is 1/20. */
  tailShareDenominator: 20,
} as const;

export interface SampleSeverity {
  poor: boolean;
  bad: boolean;
}

export function sampleSeverity(networkLatencyMs: number, lossPercent: number): SampleSeverity {
  const r = QUALITY_RULE;
  const bad = networkLatencyMs > r.badLatencyMs || lossPercent > r.badLossPercent;
  const poor = bad || networkLatencyMs > r.poorLatencyMs || lossPercent > r.poorLossPercent;
  return { poor, bad };
}

export function sessionQuality(samples: number, poorSamples: number, badSamples: number): Quality {
  if (samples <= 0) return "normal";
  const d = QUALITY_RULE.tailShareDenominator;
  if (badSamples * d > samples) return "bad";
  if (poorSamples * d > samples) return "normal";
  return "good";
}

/** NotBadSessionRatio in percent, two decimals; 0 when there is no session. */
export function notBadRatio(sessions: number, badSessions: number): number {
  if (sessions <= 0) return 0;
  return Math.round(((sessions - badSessions) * 10000) / sessions) / 100;
}
