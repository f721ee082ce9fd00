/**
 * The policy pack over real SpotPool components (under mocks): the on-demand fallback carries the
 * pack's opt-out tag, so spot-required-outside-production passes it; an on-demand primary does not.
 */
import * as assert from "node:assert/strict";
import type { ClusterRef } from "../../components/GpuCluster";
import { testCatalog } from "../../components/testing/catalog";
import {
  installMocks,
  named,
  obj,
  ofType,
  settle,
  valueOf,
  type Registered,
} from "../../components/testing/pulumiMocks";
import { ALLOW_ON_DEMAND_TAG } from "../../components/poolPlan";
import { evaluateRules } from "./evaluate";
import { parseRuleConfig } from "./adapt";
import { spotRequiredRule } from "./gpu-rules";
import type { PolicyRecord } from "./rule";

const catalog = testCatalog();

describe("spot-required-outside-production over SpotPool (mocks)", () => {
  let registered: Registered[];
  let mod: typeof import("../../components/SpotPool");

  before(async () => {
    registered = await installMocks();
    mod = await import("../../components/SpotPool");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function done(pool: InstanceType<typeof mod.SpotPool>): Promise<void> {
    for (const r of pool.nodePools) await valueOf(r.urn);
    await settle(registered);
  }

  const awsRef: ClusterRef = {
    cloud: "aws",
    region: "us-east-1",
    clusterName: "plat-eks",
    nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
    subnetIds: ["subnet-a", "subnet-b"],
  };

  describe("the on-demand fallback carries the policy pack's opt-out tag; an on-demand primary does not", () => {
    const NODE_POOL: Record<string, string> = {
      aws: "aws:eks/nodeGroup:NodeGroup",
      gcp: "gcp:container/nodePool:NodePool",
      azure: "azure-native:containerservice:AgentPool",
    };
    /** Where each cloud's pool carries its tags (what spot-required-outside-production reads). */
    const tagsOf = (r: Registered): Record<string, unknown> =>
      r.type === NODE_POOL["gcp"] ? obj(obj(r.inputs["nodeConfig"])["resourceLabels"]) : obj(r.inputs["tags"]);
    const refs: Record<string, ClusterRef> = {
      aws: awsRef,
      gcp: { cloud: "gcp", region: "us-central1", clusterName: "plat-gke", project: "proj", location: "us-central1-a" },
      azure: { cloud: "azure", region: "eastus", clusterName: "plat-aks", resourceGroupName: "plat-rg" },
    };
    const GPU: Record<string, "L4" | "T4"> = { aws: "L4", gcp: "L4", azure: "T4" };

    for (const cloud of ["aws", "gcp", "azure"]) {
      it(`${cloud}: fallback tagged ${ALLOW_ON_DEMAND_TAG}=true and allowed in dev; an untagged on-demand primary is denied, a tagged one allowed`, async () => {
        const cluster = refs[cloud];
        const gpu = GPU[cloud];
        assert.ok(cluster && gpu);
        const pools = [
          new mod.SpotPool("sp", { cluster, gpu, maxNodes: 2, fallback: true, catalog }),
          new mod.SpotPool("od", { cluster, gpu, spot: false, catalog }),
          new mod.SpotPool("odok", { cluster, gpu, spot: false, tags: { [ALLOW_ON_DEMAND_TAG]: "true" }, catalog }),
        ];
        for (const p of pools) await done(p);
        const nodePools = ofType(registered, NODE_POOL[cloud] ?? "");
        assert.deepEqual(nodePools.map((r) => r.name).sort(), [
          "od-ondemand",
          "odok-ondemand",
          "sp-fallback",
          "sp-spot",
        ]);
        assert.equal(tagsOf(named(registered, "sp-fallback"))[ALLOW_ON_DEMAND_TAG], "true");
        assert.equal(
          tagsOf(named(registered, "sp-spot"))[ALLOW_ON_DEMAND_TAG],
          undefined,
          "the spot pool needs no opt-out",
        );
        assert.equal(
          tagsOf(named(registered, "od-ondemand"))[ALLOW_ON_DEMAND_TAG],
          undefined,
          "an on-demand primary is not opted out for the user",
        );
        assert.equal(tagsOf(named(registered, "sp-fallback"))["managed-by"], "modelplane", "the cost tags stay");

        // The policy itself: only the untagged on-demand primary is a violation in dev; none in production.
        const records: PolicyRecord[] = nodePools.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
        const dev = evaluateRules([spotRequiredRule], records, { environment: "dev", catalog });
        assert.deepEqual(
          dev.violations.map((v) => [v.policy, v.resource]),
          [["spot-required-outside-production", "od-ondemand"]],
        );
        assert.deepEqual(
          evaluateRules([spotRequiredRule], records, { environment: "production", catalog }).violations,
          [],
        );
      });
    }

    it("the tag is the policy's default opt-out key", () => {
      assert.equal(parseRuleConfig(spotRequiredRule, {}).optOutTag, ALLOW_ON_DEMAND_TAG);
    });
  });
});
