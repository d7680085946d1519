// DescribeDeviceSessionList (the seed): the sessions of a project overlapping a window,
// newest first, optionally of one device (either side). Semantics in session-window.ts.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, DeviceFilter, deviceFilter, PageNumber, PageSize, UnixTime } from "./session-fields.ts";
import { msWindow } from "./session-window.ts";
import { countSessions, pageSessions, windowParams } from "./session-queries.ts";
import { sessionInfo } from "./session-info.ts";
import { pageOffset } from "./wire-format.ts";

export const describeDeviceSessionList = defineAction({
  name: "DescribeDeviceSessionList",
  request: Type.Object({
    ProjectId,
    PageNumber,
    PageSize,
    DeviceId: Type.Optional(DeviceFilter),
    StartTime: Type.Optional(UnixTime),
    EndTime: Type.Optional(UnixTime),
  }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const w = msWindow(req.StartTime, req.EndTime);
    const device = deviceFilter(req.DeviceId);
    const db = ctx.platform.db;
    // One snapshot for the count and the page, so Total and the page agree.
    const { total, rows } = await db.transaction(async (tx) => {
      await tx.query("set transaction isolation level repeatable read");
      const p = await windowParams(tx, app.appId, w, device);
      const rows = await pageSessions(tx, p, req.PageSize, pageOffset(req.PageNumber, req.PageSize));
      const total = rows.length < req.PageSize && (rows.length > 0 || req.PageNumber === 1)
        ? pageOffset(req.PageNumber, req.PageSize) + rows.length
        : await countSessions(tx, p);
      return { total, rows };
    });
    return { Total: total, DeviceSessionList: rows.map(sessionInfo), Num: rows.length };
  },
});
