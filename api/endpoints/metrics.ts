/** `GET /metrics`: Prometheus exposition of the app's own registry (see api/metrics.ts). */
import { servicesOf } from "../services";
import { defineEndpoint } from "../endpoint";

export const metrics = defineEndpoint({
  method: "get",
  path: "/metrics",
  summary: "Prometheus metrics: HTTP latency, jobs by state, queue depth, operation durations, spend by tenant",
  tags: ["operations"],
  role: null,
  responses: { 200: { description: "Prometheus text format", contentType: "text/plain; version=0.0.4" } },
  async handle({ req, res, deps, now }) {
    const m = servicesOf(req.app).metrics;
    // The cost counter reads the ledger: accrue the hours that ended since the last scrape first.
    await deps.controlPlane.accrueCosts(now(), deps.catalog.version).catch(() => undefined);
    const text = await m.render();
    res.setHeader("Content-Type", m.contentType);
    res.status(200).send(text);
    return undefined;
  },
});
