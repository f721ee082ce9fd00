import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import type { CommandIO } from "./catalog";
import { runQuote } from "./quote";
import { runCatalog } from "./catalog";

function io(): CommandIO & { stdout: string } {
  const b = {
    stdout: "",
    out(t: string) {
      b.stdout += t;
    },
    err() {},
  };
  return b;
}

describe("modelplane quote --allow-suspect", () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-suspect-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const s = defaultCatalog().gpuOffers.find((o) => o.suspect === true);

  it("leaves a suspect offer out by default and includes it with the flag", async () => {
    assert.ok(s, "the shipped catalog holds a suspect offer");
    const path = join(dir, "req.json");
    writeFileSync(
      path,
      JSON.stringify({
        model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 2048 },
        replicas: 1,
        constraints: {
          clouds: [s.cloud],
          regions: [s.region],
          gpuTypes: [s.gpuType],
          capacity: "on-demand",
          scope: "anywhere",
        },
      }),
    );
    const run = async (extra: string[]): Promise<string[]> => {
      const b = io();
      await runQuote([path, "--json", "--limit", "1000", "--max-age-days", "100000", ...extra], b);
      return (JSON.parse(b.stdout) as { placements: Array<{ instanceType: string }> }).placements.map(
        (p) => p.instanceType,
      );
    };
    assert.ok(!(await run([])).includes(s.instanceType));
    assert.ok((await run(["--allow-suspect"])).includes(s.instanceType));
  });

  it("modelplane catalog --json shows suspect offers with their note", async () => {
    assert.ok(s);
    const b = io();
    await runCatalog(["--json"], b);
    const offers = (
      JSON.parse(b.stdout) as {
        gpuOffers: Array<{ instanceType: string; region: string; suspect?: boolean; note?: string }>;
      }
    ).gpuOffers;
    const shown = offers.find((o) => o.instanceType === s.instanceType && o.region === s.region);
    assert.equal(shown?.suspect, true);
    assert.equal(shown?.note, s.note);
  });
});
