// GetDurationDetails: GetTotalDuration per China Standard Time day, one entry per day with
// session time in the window, oldest first, paged (PageNum from 1). SessionTime is the day's
// start as Unix seconds in a string, as the real example answers ("1719331200" is midnight
// in +08:00). Each entry equals GetTotalDuration over that day's part of the window.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, DeviceFilter, deviceFilter, PageNumber, PageSize, UnixTime } from "./session-fields.ts";
import { msWindow } from "./session-window.ts";
import { dayDurationParts, type DayPart } from "./duration-store.ts";
import { durationFields } from "./duration-tiers.ts";
import { pageOffset, unixSeconds } from "./wire-format.ts";

export const getDurationDetails = defineAction({
  name: "GetDurationDetails",
  request: Type.Object({
    StartTime: UnixTime,
    EndTime: UnixTime,
    PageNum: PageNumber,
    PageSize,
    ProjectId,
    DeviceId: Type.Optional(DeviceFilter),
  }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const parts = await dayDurationParts(ctx.db, app.appId, msWindow(req.StartTime, req.EndTime), deviceFilter(req.DeviceId));
    // Days with session time only (a session that touches a day for no time lists nothing).
    const days = new Map<number, DayPart[]>();
    for (const p of parts) if (p.ms > 0) days.set(p.day, [...(days.get(p.day) ?? []), p]);
    const offset = pageOffset(req.PageNum, req.PageSize);
    const page = [...days.entries()].slice(offset, offset + req.PageSize);
    return {
      TotalCount: days.size,
      DurationDetails: page.map(([day, ps]) => ({ SessionTime: String(unixSeconds(day)), ...durationFields(ps) })),
    };
  },
});
