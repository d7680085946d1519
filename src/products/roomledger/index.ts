// The development-only `roomledger` diagnostic service (version 2026-11-01).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Product } from "../product.ts";
import { echo } from "./echo.ts";
import { describeDiagnosticEvents } from "./describe-diagnostic-events.ts";
import { raiseInternalError } from "./raise-internal-error.ts";
import { diagnosticEvent } from "./diagnostic-event.ts";

export const roomledgerDiagnostics: Product = {
  name: "roomledger",
  devOnly: true,
  migrations: join(dirname(fileURLToPath(import.meta.url)), "migrations"),
  tencent: { service: "roomledger", version: "2026-11-01", actions: [echo, describeDiagnosticEvents, raiseInternalError] },
  events: [diagnosticEvent],
};
