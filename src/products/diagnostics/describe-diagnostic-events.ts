// DescribeDiagnosticEvents (development only): what the ingest API stored for one of the
// caller's apps: the number of roomledger.diagnostic events in the event log, how many of
// them `apply` counted, and their ids in id order. The tests read stored state through it.
import { Type } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import { defineAction } from "../../protocols/tencent/action.ts";

export const describeDiagnosticEvents = defineAction({
  name: "DescribeDiagnosticEvents",
  request: Type.Object({ AppId: Type.String({ maxLength: 64 }) }),
  async handler(req, ctx) {
    const found = await ctx.tenancy.lookupApp(req.AppId, ctx.account.accountId);
    if (found.kind !== "own") {
      throw new ApiError("ResourceNotFound.App", {
        message: `The app \`${req.AppId}\` does not exist.`,
        messageZh: `应用 \`${req.AppId}\` 不存在。`,
      });
    }
    const db = ctx.db;
    const ids = await db.query<{ event_id: string }>(
      "select event_id from ingest_events where app_id = $1 and type = 'roomledger.diagnostic' order by event_id",
      [req.AppId],
    );
    const counter = await db.query<{ applied: number }>("select applied from diagnostic_counters where app_id = $1", [req.AppId]);
    return {
      TotalCount: ids.rows.length,
      AppliedCount: counter.rows[0]?.applied ?? 0,
      EventIds: ids.rows.map((r) => r.event_id),
    };
  },
});
