/**
 * The import boundaries of the README's layout table, checked with dependency-cruiser
 * (`.dependency-cruiser.cjs` holds the rules): no layer imports one above it, no value-import
 * cycle between files, and (computed here from the same graph) no import cycle between folders.
 */
import { relative, resolve } from "node:path";

/** A broken rule, naming both files. */
export interface BoundaryViolation {
  rule: string;
  from: string;
  to: string;
}

/** What one check found. */
export interface BoundaryReport {
  violations: BoundaryViolation[];
  /** Folder cycles, each as the chain of folders with one file edge per step. */
  folderCycles: string[][];
  modules: number;
}

/** The source folders of the project, relative to the repo root. */
export const SOURCE_ROOTS = [
  "index.ts",
  "api",
  "cli",
  "components",
  "platform",
  "policy",
  "programs",
  "providers",
  "bench",
];

interface CruiseModule {
  source: string;
  dependencies: Array<{ resolved: string; dependencyTypes: string[]; coreModule: boolean }>;
}
interface CruiseSummary {
  violations: Array<{ rule: { name: string }; from: string; to: string }>;
}

/** Cruise `roots` (relative to `baseDir`) with the project's rules. */
export async function checkBoundaries(baseDir: string, roots: readonly string[]): Promise<BoundaryReport> {
  const { cruise } = await import("dependency-cruiser");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the rules file is CommonJS
  const config = require(resolve(__dirname, "..", ".dependency-cruiser.cjs")) as {
    forbidden: unknown[];
    options: Record<string, unknown>;
  };
  const cwd = process.cwd();
  process.chdir(baseDir);
  try {
    const result = await cruise([...roots], {
      ...config.options,
      ruleSet: { forbidden: config.forbidden },
      validate: true,
      tsConfig: { fileName: resolve(__dirname, "..", "tsconfig.json") },
    } as never);
    const output = result.output as unknown as { modules: CruiseModule[]; summary: CruiseSummary };
    return {
      violations: output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })),
      folderCycles: folderCycles(output.modules),
      modules: output.modules.length,
    };
  } finally {
    process.chdir(cwd);
  }
}

/** Tests and test helpers are left out of the folder graph (they sit beside the code they test). */
function isTestCode(file: string): boolean {
  return /\.test\.ts$/.test(file) || file.split("/").includes("testing") || file.split("/").includes("fixtures");
}

/**
 * The unit a file belongs to: its top-level folder, except under platform/core and
 * platform/service, where each module (direct subfolder, or the loose files) is its own unit.
 */
export function unitOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "platform" && (parts[1] === "core" || parts[1] === "service")) {
    return parts.length > 3 ? parts.slice(0, 3).join("/") : parts.slice(0, 2).join("/");
  }
  return parts.length > 1 ? (parts[0] ?? "") : ".";
}

/** Cycles in the graph of units (a file of one imports a file of another by a value import). */
export function folderCycles(modules: readonly CruiseModule[]): string[][] {
  const edges = new Map<string, Map<string, string>>();
  for (const m of modules) {
    const from = unitOf(m.source);
    for (const d of m.dependencies) {
      if (d.coreModule || d.resolved.includes("node_modules")) continue;
      if (d.dependencyTypes.includes("type-only")) continue;
      if (isTestCode(m.source) || isTestCode(d.resolved)) continue;
      const to = unitOf(d.resolved);
      if (to === from) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${m.source} -> ${d.resolved}`);
      edges.set(from, out);
    }
  }
  // Tarjan's strongly connected components; each component with more than one folder is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, idx.get(w) ?? 0));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) {
        const members = new Set(comp);
        cycles.push(
          comp.flatMap((f) => [...(edges.get(f) ?? [])].filter(([to]) => members.has(to)).map(([, why]) => why)),
        );
      }
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return cycles;
}

/** One line per problem, for a failing test's message. */
export function describeReport(report: BoundaryReport, baseDir: string): string {
  const lines = report.violations.map((v) => `${v.rule}: ${v.from} imports ${v.to}`);
  for (const c of report.folderCycles)
    lines.push(`folder cycle (${relative(process.cwd(), baseDir) || "."}): ${c.join("; ")}`);
  return lines.join("\n");
}
