/**
 * `npm run bench [-- NAME...] [-- --write]`: runs every benchmark under bench/ (or the named ones)
 * in turn and prints its figures. With `--write`, it also writes them to `docs/benchmarks.md`
 * with the date and the machine; benchmarks left out are marked "not measured in this run".
 * Each benchmark module exports `name` and `run(): Promise<Section[]>` (printing as it goes).
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderBenchmarks, thisMachine, type BenchmarkResult, type Section } from "./report";

interface Benchmark {
  name: string;
  run(): Promise<Section[]>;
}

/** Where `--write` puts the figures. */
export const BENCHMARKS_DOC = join(__dirname, "..", "docs", "benchmarks.md");

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes("--write");
  const only = args.filter((a) => a !== "--write");
  const machine = thisMachine();
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .sort();
  const benches: Benchmark[] = [];
  for (const file of files) benches.push((await import(join(__dirname, file))) as Benchmark);
  const unknown = only.filter((n) => !benches.some((b) => b.name === n));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(", ")}; known: ${benches.map((b) => b.name).join(", ")}`);
  const results: BenchmarkResult[] = [];
  const notMeasured: string[] = [];
  for (const bench of benches) {
    if (only.length > 0 && !only.includes(bench.name)) {
      notMeasured.push(bench.name);
      continue;
    }
    process.stdout.write(`\n== ${bench.name} ==\n`);
    results.push({ name: bench.name, sections: await bench.run() });
  }
  if (write) {
    const command = `npm run bench -- ${[...only, "--write"].join(" ")}`;
    const date = new Date().toISOString().slice(0, 10);
    writeFileSync(BENCHMARKS_DOC, renderBenchmarks({ date, machine, command, results, notMeasured }));
    process.stdout.write(`\nwrote ${BENCHMARKS_DOC}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
