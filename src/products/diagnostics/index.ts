// Development diagnostics: the `roomledger` Tencent-style service (version 2026-11-01: Echo,
// DescribeDiagnosticEvents, RaiseInternalError) and the `roomledger.diagnostic` ingest type,
// loaded with --dev only. The product keeps the name `roomledger`: it is the wire service
// name the tests call and the component its migration was recorded under.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Product } from "../product.ts";
import { echo } from "./echo.ts";
import { describeDiagnosticEvents } from "./describe-diagnostic-events.ts";
import { raiseInternalError } from "./raise-internal-error.ts";
import { diagnosticEvent } from "./diagnostic-event.ts";

export const diagnostics: Product = {
  name: "roomledger",
  devOnly: true,
  migrations: join(dirname(fileURLToPath(import.meta.url)), "migrations"),
  tencent: { service: "roomledger", version: "2026-11-01", actions: [echo, describeDiagnosticEvents, raiseInternalError] },
  events: [diagnosticEvent],
};
