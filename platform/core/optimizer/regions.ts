/**
 * The `constraints.regions` entries, checked and expanded before a quote: a region code must be
 * one the catalog (or the footprint) knows on the clouds asked for, else a ValidationError names it
 * with a did-you-mean; a geography group (`eu`, `us`, ...) expands to every such region in it.
 */
import type { Footprint } from "../footprint";
import { didYouMean, GEOGRAPHY_NAMES, inGeography, isGeography } from "../geography";
import type { Catalog } from "../pricing/types";
import { CLOUDS, isCatalogCloud, type Cloud, type PlacementCloud } from "../types";
import { ValidationError } from "../validation";

const known = new WeakMap<Catalog, Map<Cloud, Set<string>>>();

/** Regions with at least one GPU or serverless offer, per cloud (built once per catalog). */
export function catalogRegions(catalog: Catalog): Map<Cloud, Set<string>> {
  let map = known.get(catalog);
  if (!map) {
    map = new Map(CLOUDS.map((c) => [c, new Set<string>()]));
    for (const o of catalog.gpuOffers) map.get(o.cloud)!.add(o.region);
    for (const s of catalog.serverless) map.get(s.cloud)!.add(s.region);
    known.set(catalog, map);
  }
  return map;
}

/**
 * The regions a request's constraint means, or undefined when it sets none. Throws a
 * ValidationError naming `constraints.regions[i]` for a code no asked-for cloud has.
 */
export function resolveRegions(
  regions: readonly string[] | undefined,
  clouds: readonly PlacementCloud[] | undefined,
  catalog: Catalog,
  footprint?: Footprint,
): string[] | undefined {
  if (!regions) return undefined;
  const byCloud = catalogRegions(catalog);
  // The catalog clouds asked for; the brought clusters' regions count when kubernetes is asked (or all are).
  const asked: readonly Cloud[] = clouds ? clouds.filter(isCatalogCloud) : CLOUDS;
  const askedNames: readonly PlacementCloud[] = clouds ?? CLOUDS;
  const withBrought = !clouds || clouds.includes("kubernetes");
  const brought = new Set(
    withBrought ? (footprint?.clusters.filter((c) => c.cloud === "kubernetes").map((c) => c.region) ?? []) : [],
  );
  const out = new Set<string>();
  regions.forEach((entry, i) => {
    const field = `constraints.regions[${i}]`;
    const name = entry.trim();
    if (isGeography(name.toLowerCase())) {
      const g = name.toLowerCase() as keyof typeof GEOGRAPHY_NAMES;
      let found = 0;
      for (const cloud of asked) {
        for (const r of byCloud.get(cloud) ?? []) {
          if (inGeography(g, cloud, r)) {
            out.add(r);
            found += 1;
          }
        }
      }
      if (found === 0) {
        throw new ValidationError(
          field,
          `the catalog has no region in ${name} (${GEOGRAPHY_NAMES[g]}) on ${askedNames.join(", ")}; drop it or widen constraints.clouds`,
        );
      }
      return;
    }
    if (brought.has(name) || asked.some((c) => byCloud.get(c)?.has(name))) {
      out.add(name);
      return;
    }
    const options = asked.flatMap((c) => [...(byCloud.get(c) ?? [])]);
    const guess = didYouMean(name, options);
    const other =
      CLOUDS.find((c) => !asked.includes(c) && byCloud.get(c)?.has(name)) ??
      (!withBrought && footprint?.clusters.some((c) => c.cloud === "kubernetes" && c.region === name)
        ? "kubernetes"
        : undefined);
    throw new ValidationError(
      field,
      `"${name}" is not a region with GPU offers on ${askedNames.join(", ")}` +
        (other ? ` (it is a ${other} region; constraints.clouds leaves ${other} out)` : "") +
        (guess ? `; did you mean "${guess}"?` : "") +
        "; geography groups (us, ca, eu, asia, oceania, sa, me, af) are accepted too",
    );
  });
  return [...out];
}
