/**
 * Sizing a placement for traffic: for each GPU shape (type × count, the count as tensor parallel)
 * the performance model (platform/core/performance/model.ts) gives the replicas that carry the
 * request's workload within its objectives, or the field it cannot meet and the best it reaches.
 * Decided once per shape per quote. A GPU without a FLOPS figure is never guessed: its offers are
 * left out and the quote says so.
 */
import { gpuSpec } from "../gpu-specs";
import {
  effectiveTflops,
  fitWorkload,
  maxLoadPerReplica,
  type ReplicaPerformance,
  type Workload,
} from "../performance/model";
import type { Architecture } from "../sizing";
import type { Candidate } from "./candidates";
import type { PrecisionGate } from "./precision";
import type { QuoteRequest } from "./schema";

/** What a workload placement adds to a placement. */
export interface WorkloadFigures {
  /** Replicas the rate and the objectives need (at least the request's `replicas`). */
  replicas: number;
  /** Predicted latencies at that many replicas, and output tokens per second across them. */
  predicted: { ttftMs: number; tpotMs: number; tokensPerSecond: number };
}

/** The closest an offer came to a workload field it cannot meet. */
export interface WorkloadMiss {
  /** `workload.tpotP95Ms`, `workload.ttftP95Ms` or `workload.inputTokens`. */
  field: string;
  /** The best value any offer in scope reaches for it (ms; 0 for `workload.inputTokens`). */
  bestAchievable: number;
  /** The shape that reaches it, e.g. `8×H100`. */
  shape: string;
  reason: string;
}

/** One replica of a shape at the most load it carries within the objectives. */
export interface ShapeLoad {
  loadRps: number;
  replica: ReplicaPerformance;
}

export class WorkloadSizer {
  private readonly byShape = new Map<string, WorkloadFigures | null>();
  private readonly loads = new Map<string, ShapeLoad | null>();
  /** GPU types left out for want of a FLOPS figure (or of any spec). */
  readonly noFlops = new Set<string>();
  /** Per field, the closest miss among offers that passed every other check. */
  readonly misses = new Map<string, WorkloadMiss>();

  constructor(
    private readonly workload: Workload,
    private readonly request: QuoteRequest,
    private readonly architecture: Architecture,
    private readonly gate: PrecisionGate,
  ) {}

  /** The figures for `cand`'s shape, or null when it cannot carry the workload (recorded). */
  fit(cand: Candidate): WorkloadFigures | null {
    const key = `${cand.gpuType}|${cand.gpuCount}`;
    const known = this.byShape.get(key);
    if (known !== undefined) return known;
    const out = this.compute(cand.gpuType, cand.gpuCount);
    this.byShape.set(key, out);
    return out;
  }

  private compute(gpuType: string, gpuCount: number): WorkloadFigures | null {
    const spec = gpuSpec(gpuType);
    const precision = this.gate.served(gpuType);
    if (spec === undefined || effectiveTflops(spec, precision) === null) {
      this.noFlops.add(gpuType);
      return null;
    }
    const model = {
      parametersBillions: this.request.model.parametersBillions,
      precision,
      architecture: this.architecture,
    };
    const fit = fitWorkload(model, spec, gpuCount, this.workload);
    if (!fit.feasible) {
      const seen = this.misses.get(fit.field);
      const better =
        seen === undefined || (fit.field === "workload.inputTokens" ? false : fit.bestAchievable < seen.bestAchievable);
      if (better) {
        this.misses.set(fit.field, {
          field: fit.field,
          bestAchievable: fit.bestAchievable,
          shape: `${gpuCount}×${gpuType}`,
          reason: fit.reason,
        });
      }
      return null;
    }
    const replicas = Math.max(fit.replicas, this.request.replicas);
    const w = this.workload;
    return {
      replicas,
      predicted: {
        ttftMs: fit.predicted.ttftMs,
        tpotMs: fit.predicted.tpotMs,
        tokensPerSecond: w.requestsPerSecond * w.outputTokens,
      },
    };
  }

  /**
   * The most requests/s one replica of `cand`'s shape carries within the objectives, with the
   * latencies at that load; null when the shape cannot carry any (what a mix splits the rate by).
   */
  loadOf(cand: Candidate): ShapeLoad | null {
    const key = `${cand.gpuType}|${cand.gpuCount}`;
    const known = this.loads.get(key);
    if (known !== undefined) return known;
    const spec = gpuSpec(cand.gpuType);
    const precision = this.gate.served(cand.gpuType);
    let out: ShapeLoad | null = null;
    if (spec !== undefined && effectiveTflops(spec, precision) !== null) {
      const model = {
        parametersBillions: this.request.model.parametersBillions,
        precision,
        architecture: this.architecture,
      };
      const max = maxLoadPerReplica(model, spec, cand.gpuCount, this.workload);
      if (max !== null) out = { loadRps: max.loadRps, replica: max.replica };
    }
    this.loads.set(key, out);
    return out;
  }

  /** The warning for GPU types left out for want of a FLOPS figure; undefined when none were. */
  noFlopsWarning(): string | undefined {
    if (this.noFlops.size === 0) return undefined;
    const names = [...this.noFlops].sort().join(", ");
    return `no published dense FLOPS figure for ${names} (platform/core/gpu-specs.ts): offers of it are left out of workload placement rather than guessed`;
  }

  /** One sentence naming each workload field no offer meets and the best value reached. */
  explain(): { message: string; fields: WorkloadMiss[] } | undefined {
    const fields = [...this.misses.values()].sort((a, b) => a.field.localeCompare(b.field));
    if (fields.length === 0) return undefined;
    const parts = fields.map((m) =>
      m.field === "workload.inputTokens"
        ? `${m.field}: one ${this.workload.inputTokens + this.workload.outputTokens}-token sequence fits no KV cache in scope (${m.reason})`
        : `${m.field} = ${String(this.valueOf(m.field))} ms is met by no offer; best achievable is ${m.bestAchievable.toFixed(1)} ms on ${m.shape}`,
    );
    return { message: `no offer carries the workload: ${parts.join("; ")}`, fields };
  }

  private valueOf(field: string): number | undefined {
    return field === "workload.tpotP95Ms" ? this.workload.tpotP95Ms : this.workload.ttftP95Ms;
  }
}
