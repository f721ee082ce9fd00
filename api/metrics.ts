/**
 * Prometheus metrics on a dedicated `Registry` (never prom-client's global one, so two apps in one
 * process — tests, the benchmark — never collide). HTTP latency is observed per route template;
 * the control plane's figures (jobs by state, queue depth, operation durations, estimated spend by
 * tenant) are read from `ControlPlane.stats()` at scrape time.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ControlPlane } from "../platform/service/types";

export interface ApiMetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event-loop lag). Default false. */
  processMetrics?: boolean;
}

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<"method" | "route" | "status">;
  private readonly refresh: () => Promise<void>;

  constructor(controlPlane: Pick<ControlPlane, "stats">, options: ApiMetricsOptions = {}) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: "modelplane_http_request_duration_seconds",
      help: "HTTP request latency by method, route template and status code",
      labelNames: ["method", "route", "status"] as const,
      // Quotes and accepted deployments answer in milliseconds; the tail shows queueing.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });

    const statsUp = new Gauge({
      name: "modelplane_controlplane_stats_up",
      help: "1 when the last scrape could read the control plane's stats, else 0",
      registers,
    });
    const jobs = new Gauge({
      name: "modelplane_jobs",
      help: "Deployment operations (jobs) by state",
      labelNames: ["state"] as const,
      registers,
    });
    const queueDepth = new Gauge({
      name: "modelplane_queue_depth",
      help: "Operations queued and not yet started",
      registers,
    });
    const opSeconds = new Gauge({
      name: "modelplane_operation_duration_seconds_sum",
      help: "Total wall time of finished operations, seconds, by kind and final status",
      labelNames: ["kind", "status"] as const,
      registers,
    });
    const opCount = new Gauge({
      name: "modelplane_operation_duration_seconds_count",
      help: "Finished operations by kind and final status",
      labelNames: ["kind", "status"] as const,
      registers,
    });
    const spend = new Gauge({
      name: "modelplane_estimated_monthly_spend_usd",
      help: "Sum of the estimated monthly cost of live deployments, USD, by tenant",
      labelNames: ["tenant"] as const,
      registers,
    });

    const cost = new Counter({
      name: "modelplane_cost_usd_total",
      help: "Cost accrued in the cost ledger, USD, by tenant, model and cloud (whole hours, priced as placed)",
      labelNames: ["tenant", "model", "cloud"] as const,
      registers,
    });

    // One stats() call per scrape feeds every control-plane gauge (see `render`).
    this.refresh = async () => {
      try {
        const stats = await controlPlane.stats();
        jobs.reset();
        for (const [state, n] of Object.entries(stats.jobsByState)) jobs.set({ state }, n);
        queueDepth.set(stats.queueDepth);
        opSeconds.reset();
        opCount.reset();
        for (const d of stats.operationDurations) {
          opSeconds.set({ kind: d.kind, status: d.status }, d.totalSeconds);
          opCount.set({ kind: d.kind, status: d.status }, d.count);
        }
        spend.reset();
        for (const [tenant, usd] of Object.entries(stats.monthlySpendByTenant)) spend.set({ tenant }, usd);
        // The ledger is append-only, so its sums only grow: set the counter to them each scrape.
        cost.reset();
        for (const c of stats.costTotals) cost.inc({ tenant: c.tenant, model: c.model, cloud: c.cloud }, c.usd);
        statsUp.set(1);
      } catch {
        statsUp.set(0);
      }
    };

    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "modelplane_" });
  }

  /** Record one finished HTTP request. `route` is the route template, never the raw URL. */
  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text: control-plane gauges are refreshed first (Registry.metrics() collects in parallel). */
  async render(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }
}
