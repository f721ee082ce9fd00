/**
 * Test support (not a test file): every resource type a per-model deployment stack registers, per
 * cloud, found by running the deployment program under mocks over each placement kind the product
 * offers: an existing platform pool (on-demand, spot with an on-demand floor), a dedicated pool
 * (no pool of that shape on the platform), scale-to-zero (KEDA HTTP), a hibernation schedule
 * (KEDA cron), a canary rollout behind the cluster gateway, and serverless (with and without the
 * platform's shared Azure Container Apps environment, and weights on an Azure Files share).
 * The worker-rights tests compare this list with the grants, so a new resource type in the
 * program without a grant fails them.
 */
import type { Cloud } from "../../platform/core/types";
import { settle, type Obj, type Registered } from "../../components/testing/pulumiMocks";
import type { DeploymentSpecInput } from "./spec";
import { gatewayOf, platformOutput, platformStackOutputs, resolveOutputs, specFor } from "./testing";

/** A placement variant: its spec and the platform stack it runs against. */
export interface StackVariant {
  label: string;
  spec: DeploymentSpecInput;
  platform: Obj;
}

/** The variants of `cloud`, each a placement a deployment stack can have. */
export function stackVariants(cloud: Cloud): StackVariant[] {
  const pools = platformOutput(cloud, { withPools: true });
  const gw = { ...pools, gateway: gatewayOf(cloud) };
  const on = (o: Obj) => platformStackOutputs(o);
  const canary = specFor(cloud, "on-demand");
  const scheduled = specFor(cloud, "spot-floor");
  const out: StackVariant[] = [
    { label: "existing pool, on-demand, gateway route", spec: specFor(cloud, "on-demand"), platform: on(gw) },
    { label: "existing pool, spot with an on-demand floor", spec: specFor(cloud, "spot-floor"), platform: on(pools) },
    {
      label: "dedicated pool (spot + on-demand fallback)",
      spec: specFor(cloud, "spot-floor"),
      platform: on(platformOutput(cloud, { withPools: false })),
    },
    { label: "scale-to-zero behind the gateway", spec: specFor(cloud, "scale-to-zero"), platform: on(gw) },
    {
      label: "hibernation schedule",
      spec: {
        ...scheduled,
        onDemandFloorReplicas: 0,
        schedule: { timezone: "UTC", activeWindows: [{ days: ["mon"], from: "08:00", to: "18:00" }] },
      },
      platform: on(pools),
    },
    {
      label: "canary rollout behind the gateway",
      spec: {
        ...canary,
        model: { ...canary.model, version: "v2" },
        revision: 2,
        rollout: {
          strategy: "canary",
          weight: 10,
          stable: { revision: 1, model: canary.model, server: { kind: "vllm" } },
        },
      },
      platform: on(gw),
    },
    { label: "serverless", spec: specFor(cloud, "serverless"), platform: on(pools) },
  ];
  if (cloud === "azure") {
    const s = specFor("azure", "serverless");
    out.push(
      {
        label: "serverless on the platform's Container Apps environment",
        spec: s,
        platform: on({
          ...pools,
          serverless: {
            product: "container-apps",
            skus: ["Consumption-GPU-NC24-A100"],
            environmentId:
              "/subscriptions/s/resourceGroups/mp-rg/providers/Microsoft.App/managedEnvironments/mp-serverless",
            resourceGroupName: "mp-rg",
            workloadProfileNames: { "Consumption-GPU-NC24-A100": "gpu-a100" },
          },
        }),
      },
      {
        label: "serverless, weights on an Azure Files share",
        spec: { ...s, model: { ...s.model, name: "Llama-3.1-8B-Instruct", parametersBillions: 8 } },
        platform: on(pools),
      },
    );
  }
  return out;
}

/**
 * Run every variant of `cloud` through `program` (the mocks' `registered` list is cleared between
 * runs; `setPlatform` feeds the StackReference) and return the custom resource types registered,
 * sorted: component (`modelplane:`) and engine (`pulumi:`) types left out.
 */
export async function deploymentStackTypes(
  cloud: Cloud,
  registered: Registered[],
  setPlatform: (o: Obj) => void,
  program: (spec: DeploymentSpecInput) => () => Promise<Record<string, unknown>>,
  seen?: (r: Registered, variant: string) => void,
): Promise<Map<string, string[]>> {
  const types = new Map<string, string[]>();
  for (const v of stackVariants(cloud)) {
    registered.length = 0;
    setPlatform(v.platform);
    await resolveOutputs(await program(v.spec)());
    await settle(registered);
    for (const r of registered) {
      if (r.type.startsWith("modelplane:") || r.type.startsWith("pulumi:")) continue;
      types.set(r.type, [...(types.get(r.type) ?? []), v.label]);
      seen?.(r, v.label);
    }
  }
  return new Map([...types.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
