/** The short `why` on each placement: the top one, the best per cloud, and the rest. */
import type { Placement } from "../placement";
import type { Requirement } from "../sizing";
import type { QuoteRequest } from "./schema";

const money = (n: number): string => `$${n.toFixed(n < 10 ? 4 : 2)}`;
const pct = (n: number): string => `${Math.round(n * 100)}%`;

/** Fill `why` on every placement (mutates; placements are sorted, cheapest first). */
export function describePlacements(
  placements: Placement[],
  requirement: Requirement,
  feasibleCount: number,
  request: QuoteRequest,
): void {
  const top = placements[0];
  if (!top) return;
  const seenCloud = new Set<string>();
  placements.forEach((p, i) => {
    const holds = `${p.gpuCount}×${p.gpuType} (${p.gpuCount * p.gpuMemoryGiB} GiB) holds the ${requirement.totalGiB.toFixed(1)} GiB needed`;
    const firstOfCloud = !seenCloud.has(p.cloud);
    seenCloud.add(p.cloud);
    let why: string;
    if (i === 0) {
      why = `cheapest per month of ${feasibleCount} feasible placements: ${holds}`;
    } else {
      const delta = p.monthlyUsd - top.monthlyUsd;
      const rel = top.monthlyUsd > 0 ? ` (+${pct(delta / top.monthlyUsd)})` : "";
      why = firstOfCloud
        ? `cheapest on ${p.cloud}: ${holds}; +${money(delta)}/month${rel} vs the top placement`
        : `rank ${i + 1}: +${money(delta)}/month${rel} vs the top placement`;
    }
    const at = p as Placement & {
      pool?: string;
      cluster?: string;
      predicted?: { ttftMs: number; tpotMs: number };
    };
    if (at.predicted && request.workload && (i === 0 || firstOfCloud)) {
      why += `; ${p.replicas} replica(s) carry ${request.workload.requestsPerSecond} req/s at a predicted p95 TTFT ${at.predicted.ttftMs.toFixed(0)} ms and TPOT ${at.predicted.tpotMs.toFixed(1)} ms`;
    }
    if (at.pool) why += `; runs on the existing pool ${at.pool} of ${at.cluster ?? "the platform"}`;
    if (p.replicasPerNode !== undefined) {
      const nodes = Math.ceil(p.replicas / p.replicasPerNode);
      why += `; ${p.replicasPerNode} replicas share a ${p.instanceType} node (${nodes} node(s) for ${p.replicas})`;
    }
    if (p.capacity === "spot" && p.onDemandUnitHourlyUsd !== null && (i === 0 || firstOfCloud)) {
      why += `; spot, ${pct(1 - p.unitHourlyUsd / p.onDemandUnitHourlyUsd)} below on-demand (${money(p.onDemandUnitHourlyUsd)}/h per ${p.replicasPerNode !== undefined ? "node" : "replica"}) and can be reclaimed`;
    }
    if (p.capacity === "serverless" && (i === 0 || firstOfCloud)) {
      why += `; serverless, billed per second for ${request.activeHoursPerDay} active h/day (a node bills 24 h)`;
    }
    p.why = why;
  });
}
