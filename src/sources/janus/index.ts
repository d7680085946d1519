// Janus (janus.eventhandler.sampleevh) as a source: route.ts mounts POST /ingest/v1/janus;
// janus-event.ts reads Janus's events, translate.ts turns them into presence and QoS.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Janus working state's tables (component "janus"). */
export const JANUS_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations");
