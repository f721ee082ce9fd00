/**
 * The modelplane cost-guard policy pack. This file ONLY constructs the pack (constructing a
 * PolicyPack starts a policy server; a second one exits the process), so nothing imports it —
 * tests and the offline plan use `./policies`.
 *
 * The pack prices with the catalog shipped in this repository, imported here so that the bundle
 * (`npm run build:policy` → `dist/index.js`) carries it and runs from a copy of this folder.
 *
 *   npm run build:policy
 *   pulumi preview --policy-pack policy --policy-pack-config policy/config.example.json
 */
import { PolicyPack } from "@pulumi/policy";
import { parseCatalog } from "../platform/core/pricing/catalog";
import shippedCatalog from "../platform/core/pricing/data/catalog.json";
import type { Catalog } from "../platform/core/pricing/types";
import { RULES, toPackPolicy } from "./policies";

let catalog: Catalog | undefined;
/** The shipped catalog, validated once, on first use. */
const packCatalog = (): Catalog => (catalog ??= parseCatalog(shippedCatalog, "catalog"));

new PolicyPack("modelplane-cost-guard", {
  description:
    "Cost limits priced from the modelplane catalog: per-resource $/h, stack budget, GPU types, regions, spot, GPU node counts, cost tags, storage lifecycle, scale-to-zero.",
  enforcementLevel: "mandatory",
  policies: RULES.map((rule) => toPackPolicy(rule, { catalog: packCatalog })),
});
