// The duration tiers of GetTotalDuration and GetDurationDetails. Pure.
//
// The cloud bills TRRO session time by the video's resolution and says no more on the wire
// than the tier names (Voice, SD, HD, FHD, 2K, 4K, each also "Multi", and Online), so we
// choose what a user of these clouds expects:
// - A session's tier is the resolution its devices reported ("1920*1080"), classed by pixel
//   count with the limits TRTC (the media layer under TRRO) bills by: SD up to 640*480, HD
//   up to 1280*720, FHD up to 1920*1080, 2K up to 2560*1440, 4K above. A session that
//   reported no size is audio only: Voice.
// - A session counts as Multi (multi-network) when either side reported multiMode 1; its
//   time then goes to the Multi tiers and not to the single-network ones.
// - Online is the total session time of the single-network tiers (Voice included), and
//   MultiOnline that of the Multi tiers: time spent connected, whatever the picture.
// - Minutes are whole minutes rounded down, per tier, from the summed milliseconds (as
//   DescribeSessionStatistics' TotalDuration); so Online may exceed the sum of its tiers'
//   minutes by a few.
// - DeductDuration: minutes deducted from licence packages. roomledger sells no licences,
//   so nothing is ever deducted: 0.

export type Tier = "Voice" | "SD" | "HD" | "FHD" | "TwoK" | "FourK";

const LIMITS: [number, Tier][] = [
  [640 * 480, "SD"],
  [1280 * 720, "HD"],
  [1920 * 1080, "FHD"],
  [2560 * 1440, "TwoK"],
];

/** The tier of a session's resolution string ("W*H", or "" when no side reported a size). */
export function tierOf(resolution: string): Tier {
  const m = /^(\d+)\*(\d+)$/.exec(resolution);
  if (!m) return "Voice";
  const pixels = Number(m[1]) * Number(m[2]);
  for (const [limit, tier] of LIMITS) if (pixels <= limit) return tier;
  return "FourK";
}

/** Milliseconds of session time by resolution and multi-network flag (one row per pair). */
export interface DurationPart {
  resolution: string;
  multi: boolean;
  ms: number;
}

export type DurationFields = {
  Voice: number;
  SD: number;
  HD: number;
  FHD: number;
  TwoK: number;
  FourK: number;
  Online: number;
  MultiSD: number;
  MultiHD: number;
  MultiFHD: number;
  MultiTwoK: number;
  MultiFourK: number;
  MultiOnline: number;
  DeductDuration: number;
};

const minutes = (ms: number): number => Math.floor(ms / 60_000);

/** The wire fields of a set of parts. Multi voice time has no tier of its own: it counts in MultiOnline only. */
export function durationFields(parts: readonly DurationPart[]): DurationFields {
  const single: Record<Tier, number> = { Voice: 0, SD: 0, HD: 0, FHD: 0, TwoK: 0, FourK: 0 };
  const multi: Record<Tier, number> = { Voice: 0, SD: 0, HD: 0, FHD: 0, TwoK: 0, FourK: 0 };
  let online = 0;
  let multiOnline = 0;
  for (const p of parts) {
    const tier = tierOf(p.resolution);
    if (p.multi) {
      multi[tier] += p.ms;
      multiOnline += p.ms;
    } else {
      single[tier] += p.ms;
      online += p.ms;
    }
  }
  return {
    Voice: minutes(single.Voice),
    SD: minutes(single.SD),
    HD: minutes(single.HD),
    FHD: minutes(single.FHD),
    TwoK: minutes(single.TwoK),
    FourK: minutes(single.FourK),
    Online: minutes(online),
    MultiSD: minutes(multi.SD),
    MultiHD: minutes(multi.HD),
    MultiFHD: minutes(multi.FHD),
    MultiTwoK: minutes(multi.TwoK),
    MultiFourK: minutes(multi.FourK),
    MultiOnline: minutes(multiOnline),
    DeductDuration: 0,
  };
}
