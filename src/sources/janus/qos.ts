// Huawei QoS metrics from Janus's media statistics. Janus sees each PeerConnection from the
// server's side, so:
// - a publisher's handle (Janus receives) gives the UPLINK of that participant, measured at
//   Janus: bitrate received, jitter of what arrives, loss = packets Janus never got (its own
//   receiver-report counter, before retransmissions) over those expected. Janus has no RTT
//   for what it only receives (its "rtt" stays 0 there).
// - a subscriber's handle (Janus sends) gives the DOWNLINK of one publisher's stream to that
//   subscriber, as the subscriber's browser reports it in RTCP receiver reports: loss
//   (cumulative "lost-by-remote" over packets sent), jitter, and RTT (Janus's, from the
//   report's LSR/DLSR). Before the first receiver report these figures are zeros, not
//   measurements, and are left out; an RTT of 0 is "not known yet" in Janus and left out too
//   (a loopback RTT under 1 ms is lost with it).
// Bitrates are Janus's own bytes of the last second (kbit/s here). A metric whose source is
// missing is left out of the sample, never sent as 0 (as the browser collector does).
import type { MetricId } from "../../products/rtc/metrics.ts";
import type { MediumStats } from "./janus-event.ts";
import type { Counters } from "./state.ts";

export type Metrics = Partial<Record<MetricId, number>>;

/** "a" or "v" for a medium Huawei's metrics describe (audio, video and its simulcast layers); null for data. */
export function letterOf(media: string): "a" | "v" | null {
  if (media === "audio") return "a";
  if (media === "video" || media.startsWith("video-sim")) return "v";
  return null;
}

const share = (part: number, whole: number): number | undefined =>
  whole > 0 ? Math.min(100, (100 * Math.max(0, part)) / whole) : undefined;

/**
 * The metrics of one medium over the interval since `prev` (null: since the PeerConnection
 * began, when Janus's counters were 0), and the counters to keep for the next interval.
 */
export function mediumMetrics(
  m: MediumStats,
  direction: "uplink" | "downlink",
  prev: Counters | null,
  at: number,
  key: Omit<Counters, "at" | "lost" | "received" | "lostRemote" | "sent" | "rrSeen">,
): { metrics: Metrics; next: Counters } {
  const letter = letterOf(m.media)!;
  const received = Math.max(0, m.packetsReceived - m.retransmissionsReceived);
  // Janus's figures from receiver reports are whole milliseconds and 0 before the first
  // report, so a perfect loopback link looks like no report at all; its link quality, 0 until
  // reports came, tells them apart.
  const rrSeen = (prev?.rrSeen ?? false) || m.rtt > 0 || m.jitterRemote > 0 || m.lostByRemote > 0 || m.outLinkQuality > 0;
  const p = prev ?? { lost: 0, received: 0, lostRemote: 0, sent: 0 };
  // The downlink pair (lost by remote, sent) moves only once a receiver report came: the
  // first report's loss covers every packet sent since the start, not just the last interval.
  const next: Counters = {
    ...key,
    at,
    lost: m.lost,
    received,
    lostRemote: rrSeen ? m.lostByRemote : p.lostRemote,
    sent: rrSeen ? m.packetsSent : p.sent,
    rrSeen,
  };
  const out: Metrics = {};
  const set = (name: string, v: number | undefined) => {
    if (v !== undefined && Number.isFinite(v)) out[`${letter}${name}` as MetricId] = v;
  };
  // Simulcast layers ("video-sim1", "video-sim2") add their bitrate; the rest is the base layer's.
  const base = m.media === "audio" || m.media === "video";
  if (direction === "uplink") {
    set("bit", (m.bytesReceivedLastsec * 8) / 1000);
    if (!base) return { metrics: out, next };
    set("jitter", m.jitterLocal);
    const lost = m.lost - p.lost;
    const got = received - p.received;
    if (lost >= 0 && got >= 0) set("loss", share(lost, lost + got));
  } else {
    set("bit", (m.bytesSentLastsec * 8) / 1000);
    if (rrSeen && base) {
      set("jitter", m.jitterRemote);
      if (m.rtt > 0) set("rtt", m.rtt);
      const lost = m.lostByRemote - p.lostRemote;
      const sent = m.packetsSent - p.sent;
      if (lost >= 0 && sent >= 0) set("loss", share(lost, sent));
    }
  }
  return { metrics: out, next };
}

/**
 * Adds one medium's metrics into a sample's: bitrates of simulcast layers add up; the other
 * metrics come from the base layer only (a layer's loss is not the stream's).
 */
export function mergeMetrics(into: Metrics, add: Metrics): void {
  for (const [k, v] of Object.entries(add) as [MetricId, number][]) {
    if (k.endsWith("bit")) into[k] = (into[k] ?? 0) + v;
    else into[k] ??= v;
  }
}
