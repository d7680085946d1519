// DescribePolicy: one mode's lists (black or white; by default the mode the project is in,
// DescribeProjectInfo's PolicyMode), one entry per remote device, by RemoteDeviceId.
// PolicyEnabled says whether that mode is the one in force. ModifyTime is when a field device
// was last added to the remote device's list, rendered like every TRRO time here (RFC 3339
// in +08:00; the real example happens to show +00:00).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { OptionalPageNumber, OptionalPageSize, optionalPage, PolicyMode, ProjectId } from "./project-fields.ts";
import { listPolicies } from "./policy-store.ts";
import { cstTime } from "./wire-format.ts";

export const describePolicy = defineAction({
  name: "DescribePolicy",
  request: Type.Object({
    ProjectId,
    PolicyMode: Type.Optional(PolicyMode),
    SearchMode: Type.Optional(Type.Union([Type.Literal("remoteMatch"), Type.Literal("fieldMatch")])),
    SearchWords: Type.Optional(Type.String({ maxLength: 64 })),
    PageSize: OptionalPageSize,
    PageNumber: OptionalPageNumber,
  }),
  async handler(req, ctx) {
    const { app, row } = await ownProject(ctx, req.ProjectId);
    const mode = req.PolicyMode ?? row.policy_mode;
    const { limit, offset } = optionalPage(req.PageSize, req.PageNumber);
    // An empty SearchWords searches nothing ("不填默认不进行模糊匹配").
    const search = req.SearchWords ? { field: req.SearchMode === "fieldMatch", words: req.SearchWords } : undefined;
    const { total, rows } = await listPolicies(ctx.db, app.appId, mode, search, limit, offset);
    return {
      PolicyMode: mode,
      PolicyEnabled: mode === row.policy_mode,
      PolicyInfo: rows.map((p) => ({
        RemoteDeviceId: p.remote_device_id,
        FieldDeviceIds: p.field_device_ids,
        ModifyTime: cstTime(p.modify_time),
      })),
      Num: rows.length,
      Total: total,
    };
  },
});
