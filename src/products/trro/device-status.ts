// DeviceStatus, as DescribeDeviceList/DescribeDeviceInfo report it. Pure rule; device-store.ts
// evaluates the same rule in SQL (for the DeviceStatus filter) and must stay in step.
//
// - offline: the device said offline, never reported, or has sent nothing for the project's
//   presence timeout (default 30 s; a device that vanishes goes offline by itself);
// - connected: online and a side of a session that is still open;
// - ready: online otherwise.

export type DeviceStatus = "offline" | "ready" | "connected";

export function deviceStatus(d: {
  online: boolean;
  lastSeen: number | null;
  presenceMs: number;
  now: number;
  inOpenSession: boolean;
}): DeviceStatus {
  if (!d.online || d.lastSeen === null || d.lastSeen < d.now - d.presenceMs) return "offline";
  return d.inOpenSession ? "connected" : "ready";
}
