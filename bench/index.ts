/**
 * `npm run bench`: runs every benchmark under bench/ in turn and prints its figures.
 * Each benchmark module exports `name` and `run(): Promise<void>` (printing its own lines).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

interface Benchmark {
  name: string;
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .sort();
  for (const file of files) {
    const bench = (await import(join(__dirname, file))) as Benchmark;
    if (only && bench.name !== only) continue;
    process.stdout.write(`\n== ${bench.name} ==\n`);
    await bench.run();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
