import * as assert from "node:assert/strict";
import { awsCluster } from "../providers/aws/cluster";
import { azureCluster, aksDnsPrefix } from "../providers/azure/cluster";
import { gcpCluster } from "../providers/gcp/cluster";
import { assertCloud, planGpuCluster } from "./clusterPlan";
import { throwsField } from "./testing/validation";

describe("planGpuCluster (pure)", () => {
  it("fills the cloud's defaults and the cost tags", () => {
    const plan = planGpuCluster({ cloud: "aws", region: "us-east-1", owner: "platform" }, awsCluster);
    assert.equal(plan.systemInstanceType, "t3.large");
    assert.equal(plan.systemNodeCount, 1);
    assert.equal(plan.deletionProtection, true);
    assert.equal(plan.installDevicePlugin, true);
    assert.deepEqual(plan.tags, { "managed-by": "modelplane", owner: "platform" });
    assert.equal(planGpuCluster({ cloud: "gcp", region: "us-central1" }, gcpCluster).installDevicePlugin, false);
    assert.equal(
      planGpuCluster({ cloud: "aws", region: "us-east-1", nvidiaDevicePlugin: false }, awsCluster).installDevicePlugin,
      false,
    );
    assert.equal(
      planGpuCluster({ cloud: "azure", region: "eastus", systemInstanceType: "Standard_D2s_v5" }, azureCluster)
        .systemInstanceType,
      "Standard_D2s_v5",
    );
  });

  it("refuses an unknown cloud naming cloud and the allowed values", () => {
    throwsField(() => assertCloud("oracle"), "cloud", '"oracle" is not a supported cloud; use one of aws, gcp, azure');
    throwsField(() => planGpuCluster({ cloud: "ibm", region: "us-south" }, awsCluster), "cloud");
  });

  it("refuses bad region, version and system node counts", () => {
    throwsField(() => planGpuCluster({ cloud: "aws", region: "US East" }, awsCluster), "region");
    throwsField(
      () => planGpuCluster({ cloud: "aws", region: "us-east-1", kubernetesVersion: "latest" }, awsCluster),
      "kubernetesVersion",
    );
    throwsField(
      () => planGpuCluster({ cloud: "aws", region: "us-east-1", systemNodeCount: 0 }, awsCluster),
      "systemNodeCount",
    );
    throwsField(
      () => planGpuCluster({ cloud: "aws", region: "us-east-1", systemNodeCount: 11 }, awsCluster),
      "systemNodeCount",
    );
  });

  it("refuses an option of another cloud, naming it and the cloud's own options", () => {
    throwsField(
      () => planGpuCluster({ cloud: "aws", region: "us-east-1", given: { zone: true } }, awsCluster),
      "zone",
      "options for aws: subnetIds",
    );
    throwsField(
      () => planGpuCluster({ cloud: "gcp", region: "us-central1", given: { resourceGroupName: true } }, gcpCluster),
      "resourceGroupName",
    );
    planGpuCluster({ cloud: "gcp", region: "us-central1", given: { zone: true, project: true } }, gcpCluster);
  });

  it("AKS DNS prefixes obey the 1–54 alphanumeric-and-hyphen rule", () => {
    for (const name of ["platform-azure", "9_Odd Name!", "x".repeat(80)]) {
      const prefix = aksDnsPrefix(name);
      assert.match(prefix, /^[a-z][a-z0-9-]{0,52}[a-z0-9]$/, prefix);
    }
  });
});
