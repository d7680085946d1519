// Request fields of the session actions.
import { Type } from "@sinclair/typebox";
import { trroErrors } from "./errors.ts";

// Numbers may come as numeric strings: the seed's own request sends "PageNumber": "1",
// "StartTime": "0", and the cloud accepts them; the gateway's validator coerces them.
export const PageNumber = Type.Integer({ minimum: 1 });
// The reference gives no maximum; 100 keeps one page a bounded read.
export const PageSize = Type.Integer({ minimum: 1, maximum: 100 });
export const UnixTime = Type.Integer({ minimum: 0, maximum: 253402300799 });
export const DeviceFilter = Type.String({ maxLength: 64 });

export function checkWindow(startTime: number | undefined, endTime: number | undefined): void {
  if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
    throw trroErrors.invalidValue("EndTime", "must not be earlier than StartTime");
  }
}

/** The window filter of the session list and statistics actions (semantics in session-window.ts). */
export const sessionWindowFields = {
  DeviceId: Type.Optional(DeviceFilter),
  StartTime: Type.Optional(UnixTime),
  EndTime: Type.Optional(UnixTime),
};

/** An empty DeviceId filters nothing (SDK users pass "" for "all"). */
export const deviceFilter = (id: string | undefined): string | undefined => (id ? id : undefined);
