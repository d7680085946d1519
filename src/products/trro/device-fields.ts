// Request fields of the device actions, with the documented formats.
import { Type } from "@sinclair/typebox";
import { charLength } from "./wire-format.ts";
import { trroErrors } from "./errors.ts";

/** Unique in the project; lowercase letters, digits and underscores; at most 32. */
export const DeviceId = Type.String({ pattern: "^[a-z0-9_]{1,32}$" });
/** Exactly 16 letters and digits. */
export const DeviceToken = Type.String({ pattern: "^[A-Za-z0-9]{16}$" });
export const DeviceType = Type.Union([Type.Literal("field"), Type.Literal("remote")]);
// "Shorter than 24 characters, may contain Chinese, digits, letters and underscores": the
// length is enforced in characters; the character set is not, because the real API's own
// DescribeDeviceInfo example answers the name "test device1" (with a space).
export const DeviceName = Type.String({ minLength: 1, maxLength: 23 * 4 });

export function checkDeviceName(name: string | undefined): void {
  if (name !== undefined && charLength(name) >= 24) throw trroErrors.invalidValue("DeviceName", "shorter than 24 characters");
}
