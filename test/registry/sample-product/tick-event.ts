// `sample.tick`: one tick, stored in the product's own table by `apply`.
import { Type } from "@sinclair/typebox";
import { defineEventType } from "../../../src/ingest/event-type.ts";
import { addTicks } from "./store.ts";

export const tickEvent = defineEventType({
  type: "sample.tick",
  product: "sample",
  data: Type.Object({ n: Type.Integer() }, { additionalProperties: false }),
  async apply(tx, app, events, ctx) {
    await addTicks(
      tx,
      app.appId,
      events.map((e) => e.id),
      ctx.clock.now(),
    );
  },
});
