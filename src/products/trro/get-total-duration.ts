// GetTotalDuration: the session time of a window (project, or one device on either side) by
// resolution tier, in minutes. Tiers, Online and rounding in duration-tiers.ts; the window
// and clipping are DescribeSessionStatistics' (session-window.ts): [StartTime, EndTime] in
// Unix seconds, both required here.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, DeviceFilter, deviceFilter, UnixTime } from "./session-fields.ts";
import { msWindow } from "./session-window.ts";
import { durationParts } from "./duration-store.ts";
import { durationFields } from "./duration-tiers.ts";

export const getTotalDuration = defineAction({
  name: "GetTotalDuration",
  request: Type.Object({ StartTime: UnixTime, EndTime: UnixTime, ProjectId, DeviceId: Type.Optional(DeviceFilter) }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const parts = await durationParts(ctx.db, app.appId, msWindow(req.StartTime, req.EndTime), deviceFilter(req.DeviceId));
    return durationFields(parts);
  },
});
