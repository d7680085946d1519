// DescribeDeviceSessionList (the seed): the sessions of a project overlapping a window,
// newest first, optionally of one device (either side). Semantics in session-window.ts.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, deviceFilter, PageNumber, PageSize, sessionWindowFields } from "./session-fields.ts";
import { msWindow } from "./session-window.ts";
import { sessionPage } from "./session-page.ts";
import { sessionInfo } from "./session-info.ts";

export const describeDeviceSessionList = defineAction({
  name: "DescribeDeviceSessionList",
  request: Type.Object({ ProjectId, PageNumber, PageSize, ...sessionWindowFields }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const w = msWindow(req.StartTime, req.EndTime);
    const { total, rows } = await sessionPage(ctx.db, app.appId, w, deviceFilter(req.DeviceId), req.PageNumber, req.PageSize);
    return { Total: total, DeviceSessionList: rows.map(sessionInfo), Num: rows.length };
  },
});
