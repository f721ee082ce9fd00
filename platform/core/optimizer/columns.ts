/**
 * The scan's view of a candidate list: its figures as typed columns (unit price, GiB held, node
 * ceiling) and its strings as small integer codes (cloud, region, GPU type, capacity, shape), built
 * once per list object (kept in a WeakMap: the catalog's and each footprint's lists never change).
 * A request's constraints compile to one flag per code (`Filter`), so testing a candidate is a few
 * array reads instead of string comparisons. Pure data; the answers are the same as
 * `matchesConstraints` (explain.ts) gives, candidate by candidate.
 */
import type { ScopedCandidate } from "./scope";
import type { PrecisionGate } from "./precision";
import type { QuoteRequest } from "./schema";

/** The capacity codes of `Columns.capacity`. */
export const CAPACITY_CODE = { "on-demand": 0, spot: 1, serverless: 2 } as const;

export interface Columns {
  /** One replica, USD/hour (`Candidate.unit`). */
  unit: Float64Array;
  /** GiB one node holds (`Candidate.holdsGiB`). */
  holds: Float64Array;
  /** Most nodes (`Candidate.maxNodes`; Infinity for a new pool or serverless). */
  maxNodes: Float64Array;
  /** An existing pool's GPUs per node, whose replicas may share a node (`replicaPacking`); 0 elsewhere (one node per replica). */
  pack: Float64Array;
  /**
   * The least any candidate from here on can cost per replica-hour: the suffix minimum of `unit`,
   * an existing pool's counted at `unit / pack` (every GPU a replica). The scan stops where it
   * passes the price cap, so a pool whose shared node beats it is still reached.
   */
  lowest: Float64Array;
  /** 0 on-demand, 1 spot, 2 serverless. */
  capacity: Uint8Array;
  /** 1 when the offer is suspect. */
  suspect: Uint8Array;
  /** 1 on a cluster the engineer brought (`ScopedCandidate.brought`). */
  brought: Uint8Array;
  /** Codes into `clouds`, `regions`, `gpus`; `shape` into `shapes` (GPU type × count). */
  cloud: Uint16Array;
  region: Uint16Array;
  gpu: Uint16Array;
  shape: Uint16Array;
  clouds: string[];
  regions: string[];
  gpus: string[];
  /** `gpuType|gpuCount` per shape code. */
  shapes: string[];
}

function coder(names: string[]): (name: string) => number {
  const ids = new Map<string, number>();
  return (name) => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      ids.set(name, id);
    }
    return id;
  };
}

function build(list: readonly ScopedCandidate[]): Columns {
  const n = list.length;
  const cols: Columns = {
    unit: new Float64Array(n),
    holds: new Float64Array(n),
    maxNodes: new Float64Array(n),
    pack: new Float64Array(n),
    lowest: new Float64Array(n),
    capacity: new Uint8Array(n),
    suspect: new Uint8Array(n),
    brought: new Uint8Array(n),
    cloud: new Uint16Array(n),
    region: new Uint16Array(n),
    gpu: new Uint16Array(n),
    shape: new Uint16Array(n),
    clouds: [],
    regions: [],
    gpus: [],
    shapes: [],
  };
  const cloud = coder(cols.clouds);
  const region = coder(cols.regions);
  const gpu = coder(cols.gpus);
  const shape = coder(cols.shapes);
  for (let i = 0; i < n; i += 1) {
    const c = list[i]!;
    cols.unit[i] = c.unit;
    cols.holds[i] = c.holdsGiB;
    cols.maxNodes[i] = c.maxNodes;
    cols.pack[i] = c.pool !== undefined && c.gpuCount > 1 ? c.gpuCount : 0;
    cols.capacity[i] = CAPACITY_CODE[c.capacity];
    cols.suspect[i] = c.suspect === true ? 1 : 0;
    cols.brought[i] = c.brought === true ? 1 : 0;
    cols.cloud[i] = cloud(c.cloud);
    cols.region[i] = region(c.region);
    cols.gpu[i] = gpu(c.gpuType);
    cols.shape[i] = shape(`${c.gpuType}|${c.gpuCount}`);
  }
  let low = Number.POSITIVE_INFINITY;
  // Stryker disable next-line ArithmeticOperator: equivalent — from past the end: reads undefined, writes nothing
  for (let i = n - 1; i >= 0; i -= 1) {
    const own = cols.pack[i]! > 0 ? cols.unit[i]! / cols.pack[i]! : cols.unit[i]!;
    if (own < low) low = own;
    cols.lowest[i] = low;
  }
  return cols;
}

const cache = new WeakMap<readonly ScopedCandidate[], Columns>();

/** The columns of `list` (built once per list object; the list must not change afterwards). */
export function columnsOf(list: readonly ScopedCandidate[]): Columns {
  let cols = cache.get(list);
  if (!cols) {
    cols = build(list);
    cache.set(list, cols);
  }
  return cols;
}

/** A request's constraints (and, optionally, the precision rules) compiled against one list's codes. */
export interface Filter {
  cloudOk: Uint8Array;
  regionOk: Uint8Array;
  gpuOk: Uint8Array;
  /** The one capacity admitted (a code), or -1 for any. */
  capacity: number;
  allowSuspect: boolean;
}

type Constraints = Omit<QuoteRequest["constraints"], "maxHourlyUsd">;

const flags = (names: readonly string[], ok: (name: string) => boolean): Uint8Array =>
  Uint8Array.from(names, (x) => (ok(x) ? 1 : 0));

/**
 * Compile `c` for `cols`. With `gate`, a GPU type the precision rules refuse is left out too, so
 * `passes` is matchesConstraints plus the gate in one test.
 */
export function filterOf(cols: Columns, c: Constraints, gate?: PrecisionGate): Filter {
  const clouds = c.clouds as readonly string[] | undefined;
  const regions = c.regions;
  const gpus = c.gpuTypes as readonly string[] | undefined;
  return {
    cloudOk: flags(cols.clouds, (x) => !clouds || clouds.includes(x)),
    regionOk: flags(cols.regions, (x) => !regions || regions.includes(x)),
    gpuOk: flags(cols.gpus, (x) => (!gpus || gpus.includes(x)) && (!gate || gate.refusal(x) === undefined)),
    capacity: c.capacity === "any" ? -1 : CAPACITY_CODE[c.capacity],
    allowSuspect: c.allowSuspect === true,
  };
}

/** True when candidate `i` of `cols` passes `f` (everything but the memory fit and the price cap). */
export function passes(cols: Columns, f: Filter, i: number): boolean {
  return (
    f.cloudOk[cols.cloud[i]!] === 1 &&
    f.regionOk[cols.region[i]!] === 1 &&
    f.gpuOk[cols.gpu[i]!] === 1 &&
    (f.capacity < 0 || cols.capacity[i] === f.capacity) &&
    (f.allowSuspect || cols.suspect[i] === 0)
  );
}
