/** The policy pack over the real platform program (under mocks): pool tags decide the dev spot rule. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, settle, valueOf, type Registered } from "../../components/testing/pulumiMocks";
import { parsePlatformConfig, type PlatformConfig } from "../../programs/platform/config";
import type { PlatformClusterOutput } from "../../programs/platform/outputs";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { evaluateRules } from "./evaluate";
import { spotRequiredRule } from "./gpu-rules";

describe("spot-required-outside-production over the platform program (mocks)", () => {
  let registered: Registered[];
  let mod: typeof import("../../programs/platform/program");

  before(async () => {
    registered = await installMocks();
    mod = await import("../../programs/platform/program");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function run(config: PlatformConfig): Promise<void> {
    const res = mod.platformProgram(config);
    for (const value of Object.values(res.outputs.clusters))
      await valueOf(pulumi.output(value) as pulumi.Output<PlatformClusterOutput>);
    await settle(registered);
  }

  it("dev spot policy: fallbacks pass; an on-demand pool passes only with the opt-out in its pool tags", async () => {
    const config = parsePlatformConfig({
      owner: "platform-team",
      costCenter: "ml-platform",
      clouds: [
        {
          cloud: "gcp",
          region: "us-central1",
          zone: "us-central1-a",
          store: false,
          gpuPools: [
            { name: "l4", gpu: "L4", maxNodes: 2, fallback: true },
            { name: "t4-od", gpu: "T4", spot: false },
            {
              name: "t4-od-ok",
              gpu: "T4",
              spot: false,
              tags: { "modelplane-allow-on-demand": "true", team: "Search" },
            },
          ],
        },
      ],
    });
    await run(config);
    const pools = registered.filter((r) => r.type === "gcp:container/nodePool:NodePool" && !r.name.endsWith("-system"));
    const labelsOf = (suffix: string) =>
      (pools.find((r) => r.name.endsWith(suffix))?.inputs["nodeConfig"] as { resourceLabels: Record<string, string> })
        .resourceLabels;
    assert.equal(labelsOf("-l4-fallback")["modelplane-allow-on-demand"], "true");
    assert.deepEqual(labelsOf("-t4-od-ok-ondemand"), {
      "cost-center": "ml-platform",
      "managed-by": "modelplane",
      "modelplane-allow-on-demand": "true",
      owner: "platform-team",
      team: "search",
    });
    const records = pools.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
    const { violations } = evaluateRules([spotRequiredRule], records, {
      environment: "dev",
      catalog: defaultCatalog(),
    });
    assert.deepEqual(
      violations.map((v) => v.resource),
      ["modelplane-gcp-t4-od-ondemand"],
    );
  });
});
