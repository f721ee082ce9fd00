import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOG_DATA_DIR } from "../../platform/core/pricing/catalog";
import { DEFAULT_MAX_CATALOG_AGE_DAYS, parseQuoteRequest, quote } from "../../platform/core/optimizer";
import { buildCatalog } from "./build-catalog";

const SOURCES = join(CATALOG_DATA_DIR, "sources");
interface ManifestSet {
  dirs: string[];
  asOf: string;
  sourceDate?: string;
}
const shipped = JSON.parse(readFileSync(join(SOURCES, "manifest.json"), "utf8")) as {
  skypilot: ManifestSet[];
  extras: string;
};
const daysBefore = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

describe("build-catalog: asOf is the source's own date", () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-source-date-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  /** A copy of the shipped manifest (pointing at the shipped files) with `sourceDate` set per set. */
  const sourcesWith = (sourceDate: (set: ManifestSet) => string | undefined): string => {
    const manifest = {
      ...shipped,
      extras: join(SOURCES, shipped.extras),
      skypilot: shipped.skypilot.map((set) => {
        const date = sourceDate(set);
        return { ...set, dirs: set.dirs.map((d) => join(SOURCES, d)), ...(date ? { sourceDate: date } : {}) };
      }),
    };
    const sub = mkdtempSync(join(dir, "s-"));
    writeFileSync(join(sub, "manifest.json"), JSON.stringify(manifest));
    return sub;
  };
  const request = parseQuoteRequest({
    model: { name: "m", parametersBillions: 1, precision: "bf16", contextTokens: 2048 },
    replicas: 1,
  });
  const staleWarning = (warnings: readonly string[]): string | undefined => warnings.find((w) => /days old/.test(w));
  const readDate = shipped.skypilot[0]!.asOf;
  const now = new Date(`${readDate}T12:00:00Z`);

  it("a catalog from a source dated 40 days before now warns that it is stale; read that day, it does not", () => {
    const dated = buildCatalog(sourcesWith((set) => daysBefore(set.asOf, 40))).catalog;
    assert.equal(dated.asOf, daysBefore(readDate, 40));
    const warning = staleWarning(quote(request, dated, { now }).warnings);
    assert.ok(warning, "stale warning");
    assert.match(warning, new RegExp(`40 days old .*limit ${DEFAULT_MAX_CATALOG_AGE_DAYS} days`));
    const undated = buildCatalog(sourcesWith(() => undefined)).catalog;
    assert.equal(staleWarning(quote(request, undated, { now }).warnings), undefined);
  });

  it("offers carry the source date as asOf and keep the read date as provenance", () => {
    const { catalog } = buildCatalog(sourcesWith((set) => daysBefore(set.asOf, 3)));
    assert.ok(catalog.gpuOffers.length > 0);
    for (const o of catalog.gpuOffers) {
      assert.equal(o.asOf, daysBefore(readDate, 3));
      assert.match(o.source, new RegExp(`read ${readDate}`));
    }
  });

  it("rejects a source date after the read date, naming sourceDate", () => {
    assert.throws(
      () => buildCatalog(sourcesWith((set) => daysBefore(set.asOf, -1))),
      /sourceDate.*cannot be after asOf/,
    );
  });
});
