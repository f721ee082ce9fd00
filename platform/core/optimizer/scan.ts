/**
 * The quote's scan: every candidate of the scope, in unit-price order, tested against the
 * request (memory fit, constraints, precision rules, workload, node ceiling, policy, remembered
 * failures) and, when feasible, handed to the ranking with its monthly and hourly figures. Reads
 * the list's typed columns (columns.ts); touches a candidate object only once it is feasible.
 * Its own function (not inlined in `quote`), so V8 optimizes it as a whole on every call.
 */
import { replicaPacking } from "../sizing";
import { CAPACITY_CODE, columnsOf, filterOf } from "./columns";
import { exclusionKey, exclusionReason, type ExcludedPlacement, type PlacementExclusion } from "./exclusions";
import { PolicyCheck, type PlacementPolicy, type ShapingCounter } from "./policy";
import type { PrecisionGate } from "./precision";
import type { Pricer } from "./price";
import { chooseRanked, Ranker, type Feasible } from "./rank";
import { dropShadowed, type ScopedCandidate } from "./scope";
import type { QuoteRequest } from "./schema";
import type { WorkloadFigures, WorkloadSizer } from "./workload";

export interface ScanInput {
  all: readonly ScopedCandidate[];
  /** The request's constraints, regions resolved. */
  constraints: QuoteRequest["constraints"];
  replicas: number;
  /** Replicas an existing pool must hold (≥ replicas: a deployment's scaling.maxReplicas). */
  roomFor: number;
  /** GiB one replica needs. */
  needGiB: number;
  /** Hours a node bills a month, and a serverless instance. */
  nodeHours: number;
  serverlessHours: number;
  limit: number;
  /** Footprint scope: shadowed dedicated pools are dropped before ranking. */
  footprint: boolean;
  /** Keep every feasible candidate (a mix pairs them). */
  keepFeasible: boolean;
  gate: PrecisionGate;
  pricer: Pricer;
  sizer: WorkloadSizer | undefined;
  policy: PlacementPolicy | undefined;
  shaping: ShapingCounter;
  exclusions: ReadonlyMap<string, PlacementExclusion>;
}

export interface ScanResult {
  /** The chosen candidates, in rank order. */
  chosen: ScopedCandidate[];
  /** Feasible candidates of the scope (after dropping shadowed pools). */
  feasibleCount: number;
  /** Footprint scans: the top one's monthly figure (what expansions must beat); undefined when none is feasible, and in global scans. */
  bestMonthlyUsd: number | undefined;
  /** Every feasible candidate, when `keepFeasible` or `footprint`; else empty. */
  feasible: ScopedCandidate[];
  /** Candidates left out because their shape cannot carry the workload. */
  workloadRefused: number;
  excluded: ExcludedPlacement[];
}

const SERVERLESS = CAPACITY_CODE.serverless;

export function scan(input: ScanInput): ScanResult {
  // The whole feasible list is kept only when something needs it: a footprint drops shadowed
  // dedicated pools before ranking, and a mix pairs feasible shapes. Otherwise the ranker keeps
  // only what can still be chosen (rank.ts) and counts the rest.
  const keepAll = input.footprint || input.keepFeasible;
  const sink: Sink = {
    keepAll,
    feasible: { cands: [], monthly: [], hourly: [] },
    ranker: new Ranker(input.limit),
    workloadRefused: 0,
    excluded: [],
  };
  visit(input, sink);
  return keepAll ? ranked(input, sink) : streamed(input.all, sink);
}

/** Where the visit puts what it finds. */
interface Sink {
  keepAll: boolean;
  feasible: Feasible;
  ranker: Ranker;
  workloadRefused: number;
  excluded: ExcludedPlacement[];
}

/** The loop itself, alone in its function (the code after a hot loop is what V8 deoptimizes). */
function visit(input: ScanInput, sink: Sink): void {
  const { all, constraints: c, replicas, roomFor, pricer, sizer, shaping, exclusions } = input;
  const maxUnit = c.maxHourlyUsd === undefined ? Number.POSITIVE_INFINITY : c.maxHourlyUsd / replicas;
  const { keepAll, feasible, ranker, excluded } = sink;
  // Each shape's figures, decided on first sight (by shape code of the list's columns).
  const shapeFigures: Array<WorkloadFigures | null | undefined> = [];
  const allowed = input.gate.allowed(all);
  // The constraints and the policy are compiled to flags over the list's codes once.
  const cols = columnsOf(all);
  const filter = filterOf(cols, c);
  const policyCheck = input.policy ? new PolicyCheck(input.policy, cols) : undefined;
  const { unit, holds, maxNodes, pack, lowest, capacity, cloud, region, gpu, suspect } = cols;
  const { cloudOk, regionOk, gpuOk, allowSuspect } = filter;
  const onlyCapacity = filter.capacity;
  const need = input.needGiB;
  const { nodeHours, serverlessHours } = input;
  for (let i = 0; i < all.length; i += 1) {
    const u = unit[i]!;
    if (u > maxUnit) {
      // Sorted by unit price: nothing later is cheaper per hour, unless an existing pool's node
      // carries several replicas (`lowest` bounds what any later candidate costs per replica).
      if (lowest[i]! > maxUnit) break;
      if (pack[i] === 0 || sizer) continue;
    }
    if (holds[i]! < need) continue;
    // `passes` (columns.ts), written out: a call through the module's export costs more than the test.
    if (cloudOk[cloud[i]!] !== 1 || regionOk[region[i]!] !== 1 || gpuOk[gpu[i]!] !== 1) continue;
    if ((onlyCapacity >= 0 && capacity[i] !== onlyCapacity) || (!allowSuspect && suspect[i] !== 0)) continue;
    if (allowed[i] === 0) continue;
    let n = replicas;
    if (sizer) {
      const s = cols.shape[i]!;
      let fig = shapeFigures[s];
      if (fig === undefined) {
        fig = sizer.fit(all[i]!);
        shapeFigures[s] = fig;
      }
      if (fig === null) {
        sink.workloadRefused += 1;
        continue;
      }
      n = fig.replicas;
      if (c.maxHourlyUsd !== undefined && u * n > c.maxHourlyUsd) continue;
    }
    const cand = all[i]!;
    // An existing pool of multi-GPU nodes: replicas share a node (workload quotes size a whole node).
    let nodes = n;
    let perNode = 1;
    if (pack[i]! > 0 && !sizer) {
      // Stryker disable next-line OptionalChaining: equivalent — holds (checked above) is pack × GPU GiB: never null
      perNode = replicaPacking({ totalGiB: need }, cand.gpuMemoryGiB, pack[i]!)?.replicasPerNode ?? 1;
      nodes = Math.ceil(n / perNode);
      if (c.maxHourlyUsd !== undefined && u * nodes > c.maxHourlyUsd) continue;
    }
    if ((n > roomFor ? n : roomFor) > maxNodes[i]! * perNode) continue;
    // The cost model's figures (placementCost), as plain numbers: only the chosen become placements.
    const hourlyUsd = u * nodes;
    const fixed = pricer.fixed(cand, n);
    const atMax = hourlyUsd * nodeHours + fixed;
    if (policyCheck) {
      const denied = policyCheck.denied(i, hourlyUsd, atMax);
      if (denied) {
        shaping.add(denied);
        continue;
      }
    }
    if (exclusions.size > 0) {
      const hit = exclusions.get(exclusionKey(cand));
      if (hit) {
        // A footprint lists a placement once per way to run it (its pool, a new dedicated pool): report it once.
        if (!excluded.some((x) => exclusionKey(x) === exclusionKey(hit)))
          excluded.push({ ...hit, reason: exclusionReason(hit) });
        continue;
      }
    }
    const monthly = capacity[i] === SERVERLESS ? hourlyUsd * serverlessHours + fixed : atMax;
    if (keepAll) {
      feasible.cands.push(cand);
      feasible.hourly.push(hourlyUsd);
      feasible.monthly.push(monthly);
    } else {
      ranker.add(i, cand, monthly, hourlyUsd);
    }
  }
}

/** A global scan's result: the ranker's choice (ids into the list). */
function streamed(all: readonly ScopedCandidate[], sink: Sink): ScanResult {
  const ids = sink.ranker.chosen();
  return {
    chosen: ids.map((i) => all[i]!),
    feasibleCount: sink.ranker.count,
    bestMonthlyUsd: undefined,
    feasible: [],
    workloadRefused: sink.workloadRefused,
    excluded: sink.excluded,
  };
}

/** A scan that kept every feasible candidate: shadowed pools dropped (footprint), then ranked. */
function ranked(input: ScanInput, sink: Sink): ScanResult {
  const f = input.footprint ? dropShadowed(sink.feasible) : sink.feasible;
  const ks = chooseRanked(f, input.limit);
  const top = ks[0];
  return {
    chosen: ks.map((k) => f.cands[k]!),
    feasibleCount: f.cands.length,
    bestMonthlyUsd: top === undefined || !input.footprint ? undefined : f.monthly[top],
    feasible: f.cands,
    workloadRefused: sink.workloadRefused,
    excluded: sink.excluded,
  };
}
