// Prometheus metrics, served at /metrics. Labels are bounded: unknown actions are counted
// as "unknown", so a caller cannot grow the series without limit.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "roomledger_api_requests_total",
    help: "API requests by protocol, service, action and result code (OK or the error code).",
    labelNames: ["protocol", "service", "action", "code"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "roomledger_api_request_duration_seconds",
    help: "API request latency by protocol, service and action.",
    labelNames: ["protocol", "service", "action"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly ingested = new Counter({
    name: "roomledger_ingest_events_total",
    help: "Ingest events by outcome (accepted, duplicate, rejected).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observe(protocol: string, service: string, action: string, code: string, seconds: number): void {
    this.requests.inc({ protocol, service, action, code });
    this.latency.observe({ protocol, service, action }, seconds);
  }
}
