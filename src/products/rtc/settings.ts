// The rtc product's own settings, taken from the configuration once at start-up.
import type { Config } from "../../config.ts";

export interface RtcSettings {
  /** Days of QoS samples kept; older partitions are dropped. */
  retentionDays: number;
}

export const rtcSettings = (config: Config): RtcSettings => ({ retentionDays: config.rtcRetentionDays });
