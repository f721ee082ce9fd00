/**
 * When nothing is feasible, say which constraint excluded what and what would fit instead:
 * "no GPU in [L4] in [us-east-1] holds 140 GiB; cheapest fit anywhere is 2×A100-80GB on gcp
 * us-central1 at $x/h; relax gpuTypes or precision".
 */
import type { Placement } from "../placement";
import { CLOUDS, type Precision } from "../types";
import { sizeModel, type Requirement } from "../sizing";
import type { Candidate } from "./candidates";
import { columnsOf, filterOf, passes } from "./columns";
import type { PrecisionGate } from "./precision";
import type { QuoteRequest } from "./schema";

type Constraints = QuoteRequest["constraints"];

export interface Infeasible {
  /** One sentence: what excluded what, the cheapest fit without constraints, what to relax. */
  message: string;
  /** GPU memory one replica needs, GiB. */
  requiredGiB: number;
  /** The constraints in effect (names of `constraints` fields that were set). */
  constraints: string[];
  /** Constraints that, relaxed one at a time, make the request feasible (and `precision` when a lower one would). */
  relax: string[];
  /** The cheapest placement that holds the model with every constraint dropped; null when none does. */
  cheapestFit: Placement | null;
  /** The precision rules that excluded every GPU in scope (precision-rules.ts), when that is the cause. */
  precisionRules?: string[];
  /** Workload quotes: each workload field no offer meets and the best value any offer reaches. */
  workload?: Array<{ field: string; bestAchievable: number; shape: string }>;
}

/** True when a candidate passes every constraint except the memory fit and the price cap. */
export function matchesConstraints(cand: Candidate, c: Omit<Constraints, "maxHourlyUsd">): boolean {
  if (c.clouds && !(c.clouds as readonly string[]).includes(cand.cloud)) return false;
  if (c.regions && !c.regions.includes(cand.region)) return false;
  if (c.gpuTypes && !c.gpuTypes.includes(cand.gpuType)) return false;
  if (c.capacity !== "any" && c.capacity !== cand.capacity) return false;
  if (cand.suspect === true && c.allowSuspect !== true) return false;
  return true;
}

const RELAXABLE = ["clouds", "regions", "gpuTypes", "capacity", "maxHourlyUsd"] as const;
type Relaxable = (typeof RELAXABLE)[number];

/** Lower precisions to suggest, most precise first. */
const LOWER: Readonly<Record<Precision, readonly Precision[]>> = {
  fp32: ["bf16", "fp8", "int4"],
  fp16: ["fp8", "int4"],
  bf16: ["fp8", "int4"],
  fp8: ["int4"],
  int8: ["int4"],
  int4: [],
};

const gib = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const usd = (n: number): string => `$${n < 10 ? n.toFixed(4).replace(/0+$/, "").replace(/\.$/, "") : n.toFixed(2)}`;
const list = (xs: readonly string[]): string => `[${xs.join(", ")}]`;

function without(c: Constraints, name: Relaxable): Constraints {
  const copy: Constraints = { ...c };
  if (name === "capacity") copy.capacity = "any";
  else delete copy[name];
  return copy;
}

function firstFeasible(
  all: readonly Candidate[],
  c: Constraints,
  totalGiB: number,
  replicas: number,
  gate?: PrecisionGate,
): Candidate | undefined {
  const maxUnit = c.maxHourlyUsd === undefined ? Number.POSITIVE_INFINITY : c.maxHourlyUsd / replicas;
  // The list's typed columns (columns.ts): the same test as matchesConstraints plus the gate, per code.
  const cols = columnsOf(all);
  const f = filterOf(cols, c, gate);
  for (let i = 0; i < all.length; i += 1) {
    if (cols.unit[i]! > maxUnit) return undefined;
    if (cols.holds[i]! >= totalGiB && passes(cols, f, i)) return all[i];
  }
  return undefined;
}

function scopeOf(c: Constraints): string {
  const parts: string[] = [];
  if (c.gpuTypes) parts.push(`in ${list(c.gpuTypes)}`);
  if (c.regions) parts.push(`in ${list(c.regions)}`);
  if (c.clouds && !CLOUDS.every((x) => c.clouds?.includes(x))) parts.push(`on ${list(c.clouds)}`);
  if (c.capacity !== "any") parts.push(`as ${c.capacity}`);
  return parts.length ? ` ${parts.join(" ")}` : "";
}

function shape(c: Candidate): string {
  return `${c.gpuCount}×${c.gpuType} (${c.instanceType}) on ${c.cloud} ${c.region}`;
}

/**
 * Build the explanation. `price` turns a candidate into a priced placement (shared cost model);
 * `gate`, when given, applies the precision rules (a refused GPU is named with its rule).
 */
export function explainInfeasible(
  request: QuoteRequest,
  requirement: Requirement,
  all: readonly Candidate[],
  price: (c: Candidate) => Placement,
  gate?: PrecisionGate,
): Infeasible {
  const c = request.constraints;
  const total = requirement.totalGiB;
  const inEffect = RELAXABLE.filter((n) => (n === "capacity" ? c.capacity !== "any" : c[n] !== undefined));
  const unconstrained: Constraints = { capacity: "any", ...(c.allowSuspect === true ? { allowSuspect: true } : {}) };
  const cheapest = firstFeasible(all, unconstrained, total, request.replicas, gate);
  const cheapestFit = cheapest ? price(cheapest) : null;

  const relax: string[] = [];
  for (const name of inEffect) {
    if (firstFeasible(all, without(c, name), total, request.replicas, gate)) relax.push(name);
  }
  // Offers the anomaly guard marked suspect (pricing/anomaly.ts) would fit: say how to include them.
  if (c.allowSuspect !== true && firstFeasible(all, { ...c, allowSuspect: true }, total, request.replicas, gate)) {
    relax.push("allowSuspect (a suspect offer would fit; its catalog note says why it is suspect)");
  }
  for (const p of LOWER[request.model.precision]) {
    const lower = sizeModel({ ...request.model, precision: p });
    const lowerGate = gate ? gate.at(p) : undefined;
    if (firstFeasible(all, c, lower.totalGiB, request.replicas, lowerGate)) {
      relax.push(`precision (${p} needs ${gib(lower.totalGiB)} GiB)`);
      break;
    }
  }

  let what: string;
  let precisionRules: string[] | undefined;
  const holding = all.filter((x) => x.holdsGiB >= total && matchesConstraints(x, c));
  const rules = gate ? [...new Set(holding.map((x) => gate.refusal(x.gpuType)))] : [];
  if (holding.length > 0 && rules.every((r) => r !== undefined)) {
    precisionRules = rules as string[];
    const gpus = [...new Set(holding.map((x) => x.gpuType))].sort();
    what = `no GPU${scopeOf(c)} that holds ${gib(total)} GiB can serve ${request.model.precision} (${list(gpus)}; precision rule: ${precisionRules.join("; ")})`;
  } else if (!cheapest) {
    const largest = all.reduce<Candidate | undefined>(
      (best, x) => (!best || x.holdsGiB > best.holdsGiB ? x : best),
      undefined,
    );
    what =
      `no node in the catalog holds ${gib(total)} GiB` +
      (largest
        ? ` (largest: ${largest.gpuCount}×${largest.gpuType} = ${gib(largest.holdsGiB)} GiB)`
        : " (the catalog has no offers)");
  } else {
    const scope = scopeOf(c);
    const inScope = all.filter((x) => matchesConstraints(x, c));
    if (inScope.length === 0) {
      what = `the catalog has no offer${scope}`;
    } else {
      const largest = inScope.reduce((best, x) => (x.holdsGiB > best.holdsGiB ? x : best));
      if (largest.holdsGiB < total) {
        what = `no GPU${scope} holds ${gib(total)} GiB (largest there: ${largest.gpuCount}×${largest.gpuType} = ${gib(largest.holdsGiB)} GiB)`;
      } else {
        const fit = firstFeasible(all, { ...c, maxHourlyUsd: undefined }, total, request.replicas);
        what =
          `no placement${scope} holding ${gib(total)} GiB costs at most ${usd(c.maxHourlyUsd ?? 0)}/h for ${request.replicas} replica(s)` +
          (fit ? ` (cheapest there: ${shape(fit)} at ${usd(fit.unit * request.replicas)}/h ${fit.capacity})` : "");
      }
    }
  }
  const parts = [what];
  if (cheapestFit && cheapest) {
    parts.push(`cheapest fit anywhere is ${shape(cheapest)} at ${usd(cheapestFit.hourlyUsd)}/h ${cheapest.capacity}`);
  }
  if (relax.length) parts.push(`relax ${relax.join(" or ")}`);
  else if (!cheapest) parts.push("use a lower precision, a shorter contextTokens or a lower concurrency");
  const out: Infeasible = {
    message: parts.join("; "),
    requiredGiB: total,
    constraints: [...inEffect],
    relax,
    cheapestFit,
  };
  if (precisionRules) out.precisionRules = precisionRules;
  return out;
}
