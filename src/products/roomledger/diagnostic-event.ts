// `roomledger.diagnostic`: the test event type of the ingest mechanism (development only).
// Any app may send it; it is stored in the generic event log and applied to a counter.
import { Type } from "@sinclair/typebox";
import { defineEventType } from "../../protocols/ingest/event-type.ts";

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
});
