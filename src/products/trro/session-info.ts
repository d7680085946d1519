// SessionInfo as the session lists answer it.
import type { SessionRow } from "./session-queries.ts";
import { unixSeconds } from "./wire-format.ts";

export function sessionInfo(s: SessionRow) {
  return {
    SessionId: s.session_id,
    RemoteDeviceId: s.remote_device_id,
    FieldDeviceId: s.field_device_id,
    Resolution: s.resolution,
    StartTime: unixSeconds(s.start_time),
    // A session still open has no end yet: 0 (its progress is in DescribeRecentSessionList).
    EndTime: s.end_time === null ? 0 : unixSeconds(s.end_time),
    Quality: s.quality,
  };
}
