/**
 * Test support (not a test file): an 8B model placed by the optimizer on one cloud, and the
 * platform outputs of that placement's cluster with a gateway and every add-on, for plans of a
 * cluster deployment behind its gateway.
 */
import * as assert from "node:assert/strict";
import { parseQuoteRequest, quote } from "../../core/optimizer";
import type { Catalog } from "../../core/pricing/types";
import type { Cloud } from "../../core/types";
import { COST_MODULES } from "../../../providers/resource-cost/registry";
import { ADDON_NAMES } from "../../../providers/limits/addons";
import { specFromPlacement } from "./quote";
import { gatewayOf } from "../../../programs/deployment/testing";

/**
 * The cheapest `capacity` placement of an 8B model on `cloud` (the shipped catalog), its spec, and
 * platform outputs whose cluster there has a gateway and every add-on.
 */
export function gatewayDeploymentSetup(
  catalog: Catalog,
  cloud: Cloud,
  options: { capacity?: "spot" | "on-demand"; scaleToZero?: boolean } = {},
) {
  const request = parseQuoteRequest({
    model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
    constraints: { clouds: [cloud], capacity: options.capacity ?? "spot" },
  });
  const top = quote(request, catalog).placements[0];
  assert.ok(top, `the catalog places an 8B model on ${cloud}`);
  const base = specFromPlacement(request, top, { owner: "a", costCenter: "c" });
  const spec = options.scaleToZero ? { ...base, scaling: { scaleToZero: true, maxReplicas: 1 } } : base;
  const output = COST_MODULES.find((m) => m.platform === cloud)?.planPlatformOutput?.(top.region);
  assert.ok(output, `${cloud} plans a platform output`);
  const name = `${top.cloud}-${top.region}`;
  const platformOutputs = {
    clusters: {
      [name]: {
        ...output,
        name,
        cloud: top.cloud,
        region: top.region,
        addons: [...ADDON_NAMES],
        gateway: gatewayOf(cloud),
      },
    },
    kubeconfigs: { [name]: "apiVersion: v1\nkind: Config\n" },
  };
  return { request, top, spec, platformOutputs };
}
