// `roomledger.diagnostic`: the test event type of the ingest mechanism (development only).
// Any app may send it; it is stored in the generic event log and, in the batch's
// transaction, counted in diagnostic_counters (so a test can see `apply` ran once per event).
import { Type } from "@sinclair/typebox";
import { defineEventType } from "../../ingest/event-type.ts";

export const diagnosticEvent = defineEventType({
  type: "roomledger.diagnostic",
  product: "*",
  data: Type.Object(
    {
      seq: Type.Integer({ minimum: 0 }),
      note: Type.Optional(Type.String({ maxLength: 256 })),
    },
    { additionalProperties: false },
  ),
  async apply(tx, app, events) {
    await tx.query(
      `insert into diagnostic_counters (app_id, applied) values ($1, $2)
       on conflict (app_id) do update set applied = diagnostic_counters.applied + excluded.applied`,
      [app.appId, events.length],
    );
  },
});
