// A product that exists only for test/registry/one-folder.test.ts: every slot a product can
// declare (migrations, settings, app-id shape, Tencent service, Huawei route, native route,
// ingest event type, job, admin route, start-up hook) in one folder, with no line of the
// server, protocols or platform knowing it.
import { fileURLToPath } from "node:url";
import type { Product } from "../../../src/products/product.ts";
import { describeSampleTicks } from "./describe-sample-ticks.ts";
import { tickEvent } from "./tick-event.ts";
import { addTicks, tickCount } from "./store.ts";

export interface SampleSettings {
  label: string;
  /** Filled by the start-up hook, to show it ran once before the listeners opened. */
  started: number[];
}

export const sample: Product<SampleSettings> = {
  name: "sample",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  settings: (config) => ({ label: `limit ${config.ingestBodyLimit}`, started: [] }),
  appIdShape: "hex-24",
  tencent: { service: "sample", version: "2026-12-01", actions: [describeSampleTicks] },
  events: [tickEvent],
  huawei: (ctx) => ({
    routes: [
      {
        method: "GET",
        path: "/:project_id/sample/apps/:app_id/ticks",
        name: "ShowSampleTicks",
        async handler(call) {
          return { count: await tickCount(ctx.db, call.params.app_id!) };
        },
      },
    ],
  }),
  native: (ctx) => [
    {
      method: "GET",
      url: "/sample/v1/ticks",
      auth: { kind: "ingest-key", product: "sample" },
      body: "none",
      async handler({ app }) {
        return { appId: app.appId, count: await tickCount(ctx.db, app.appId) };
      },
    },
  ],
  jobs: (ctx) => [
    {
      name: "sample.tock",
      async run(p: { appId: string }) {
        await addTicks(ctx.db, p.appId, ["tock"], ctx.clock.now());
      },
    },
  ],
  adminRoutes: (app, ctx) => {
    app.get("/label", async () => ({ label: ctx.settings.label }));
  },
  async start(ctx) {
    ctx.settings.started.push(ctx.clock.now());
  },
};
