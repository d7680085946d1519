// The development-only `roomledger` diagnostic service (version 2026-11-01).
import type { Product } from "../product.ts";
import { echo } from "./echo.ts";
import { diagnosticEvent } from "./diagnostic-event.ts";

export const roomledgerDiagnostics: Product = {
  name: "roomledger",
  devOnly: true,
  tencent: { service: "roomledger", version: "2026-11-01", actions: [echo] },
  events: [diagnosticEvent],
};
