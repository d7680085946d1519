// GetDevices: the devices with their licence bindings, of one project or (without
// ProjectId) of every TRRO project of the account; DeviceId narrows to that id. Ordered by
// project (oldest first), then DeviceId.
//
// roomledger sells and binds no licences, so every device answers what an unbound device
// does: no licence (LicenseCount 0, LicenseIds []), no remaining days or monthly time, no
// expiry (ExpireTime "", as LastReportTime is "" for "never") and no service time
// (Duration "0", seconds). The device ids and names are real.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { PageNumber, PageSize } from "./session-fields.ts";
import { ProjectId } from "./project-fields.ts";
import { accountDevices } from "./device-store.ts";
import { pageOffset } from "./wire-format.ts";

export const getDevices = defineAction({
  name: "GetDevices",
  request: Type.Object({
    PageNum: PageNumber,
    PageSize,
    ProjectId: Type.Optional(ProjectId),
    DeviceId: Type.Optional(Type.String({ maxLength: 64 })),
  }),
  async handler(req, ctx) {
    // An empty ProjectId, like an empty DeviceId, filters nothing.
    const appId = req.ProjectId ? (await ownProject(ctx, req.ProjectId)).app.appId : undefined;
    // The page and its TotalCount in one snapshot.
    const { total, rows } = await ctx.db.transaction(async (tx) => {
      await tx.query("set transaction isolation level repeatable read");
      return accountDevices(
        tx,
        ctx.account.accountId,
        { appId, deviceId: req.DeviceId || undefined },
        req.PageSize,
        pageOffset(req.PageNum, req.PageSize),
      );
    });
    return {
      Devices: rows.map((d) => ({
        DeviceId: d.device_id,
        DeviceName: d.name,
        LicenseCount: 0,
        RemainDay: 0,
        ExpireTime: "",
        Duration: "0",
        LicenseIds: [],
        MonthlyRemainTime: 0,
        LimitedTime: 0,
      })),
      TotalCount: total,
    };
  },
});
