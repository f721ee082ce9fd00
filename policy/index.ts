/**
 * The modelplane cost-guard policy pack. This file ONLY constructs the pack (constructing a
 * PolicyPack starts a policy server; a second one exits the process), so nothing imports it —
 * tests and the offline plan use `./policies`.
 *
 *   pulumi preview --policy-pack policy --policy-pack-config policy/config.example.json
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./policies";

new PolicyPack("modelplane-cost-guard", {
  description:
    "Cost limits priced from the modelplane catalog: per-resource $/h, stack budget, GPU types, regions, spot, GPU node counts, cost tags, storage lifecycle, scale-to-zero.",
  enforcementLevel: "mandatory",
  policies: POLICIES,
});
