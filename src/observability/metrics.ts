// Prometheus metrics, served at /metrics. Labels are bounded: unknown actions are counted
// as "unknown", so a caller cannot grow the series without limit.
import { Counter, type Metric, Registry, collectDefaultMetrics } from "prom-client";

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Labels = Record<string, string>;
/** What prom-client's registry reads from a metric (`get()`), as its own Counter and Histogram give it. */
interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** One series of the request counter, with the latency series of its (protocol, service, action). */
interface RequestSeries {
  labels: Labels;
  count: number;
  latency: LatencySeries;
}
interface LatencySeries {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last one is past every bound (+Inf). */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * The API's request counter and latency histogram. prom-client's own Counter and Histogram
 * check and hash the label set on every call, a few µs per request on the gateway's hot
 * path (issue 22): here a series is found by one Map lookup of its label values, and the
 * registry reads the same figures, in the shape prom-client's Counter and Histogram give
 * (`get()`), only when /metrics is served.
 */
class ApiMetrics {
  private readonly requests = new Map<string, RequestSeries>();
  private readonly latencies = new Map<string, LatencySeries>();

  /** The last series counted, in front of the map (see observe). */
  private last: RequestSeries | null = null;

  observe(protocol: string, service: string, action: string, code: string, seconds: number): void {
    // Under load most requests repeat the last series: its four label values are compared in
    // place (usually the very same strings), which costs less than building and hashing the
    // map's key (issue 22).
    let s = this.last;
    const l0 = s?.labels;
    if (s === null || l0!.protocol !== protocol || l0!.service !== service || l0!.action !== action || l0!.code !== code) {
      s = this.series(protocol, service, action, code);
      this.last = s;
    }
    s.count++;
    const l = s.latency;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    l.buckets[i]!++;
    l.sum += seconds;
    l.count++;
  }

  private series(protocol: string, service: string, action: string, code: string): RequestSeries {
    const key = `${protocol}\n${service}\n${action}\n${code}`;
    let s = this.requests.get(key);
    if (s === undefined) {
      const latencyKey = `${protocol}\n${service}\n${action}`;
      let latency = this.latencies.get(latencyKey);
      if (latency === undefined) {
        latency = { labels: { protocol, service, action }, buckets: Array(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
        this.latencies.set(latencyKey, latency);
      }
      s = { labels: { protocol, service, action, code }, count: 0, latency };
      this.requests.set(key, s);
    }
    return s;
  }

  /** The request counter, for the registry. */
  counter(): Metric {
    return this.metric(
      "roomledger_api_requests_total",
      "API requests by protocol, service, action and result code (OK or the error code).",
      "counter",
      () => [...this.requests.values()].map((s) => ({ labels: { ...s.labels }, value: s.count })),
    );
  }

  /** The latency histogram, for the registry. */
  histogram(): Metric {
    const name = "roomledger_api_request_duration_seconds";
    return this.metric(name, "API request latency by protocol, service and action.", "histogram", () =>
      [...this.latencies.values()].flatMap((s) => {
        const values: MetricValue[] = [];
        let acc = 0;
        LATENCY_BUCKETS.forEach((le, i) => {
          acc += s.buckets[i]!;
          values.push({ labels: { le, ...s.labels }, value: acc, metricName: `${name}_bucket` });
        });
        values.push(
          { labels: { le: "+Inf", ...s.labels }, value: s.count, metricName: `${name}_bucket` },
          { labels: { ...s.labels }, value: s.sum, metricName: `${name}_sum` },
          { labels: { ...s.labels }, value: s.count, metricName: `${name}_count` },
        );
        return values;
      }),
    );
  }

  private metric(name: string, help: string, type: "counter" | "histogram", values: () => MetricValue[]): Metric {
    const reset = () => {
      this.requests.clear();
      this.latencies.clear();
      this.last = null;
    };
    // The registry calls get() (and reset() from resetMetrics()); the rest of prom-client's
    // Metric interface is for metrics it aggregates itself.
    return {
      name,
      help,
      type,
      aggregator: "sum",
      get: async () => ({ name, help, type, aggregator: "sum", values: values() }),
      reset,
    } as unknown as Metric;
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly api = new ApiMetrics();
  readonly ingested = new Counter({
    name: "roomledger_ingest_events_total",
    help: "Ingest events by outcome (accepted, duplicate, rejected).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(this.api.counter());
    this.registry.registerMetric(this.api.histogram());
  }

  observe(protocol: string, service: string, action: string, code: string, seconds: number): void {
    this.api.observe(protocol, service, action, code, seconds);
  }
}
