import assert from "node:assert/strict";
import { classifyEngineError } from "./errors";
import { classifyPlacementFailure } from "./placement-failure";

/**
 * Real error texts, as the providers returned them, captured from public issues and PRs (read
 * 2026-11-30). Account ids and subscription ids are the ones the reporters already redacted or
 * published. Each names its source.
 */
const FIXTURES: ReadonlyArray<{ source: string; text: string; kind: "capacity" | "quota"; providerCode: string }> = [
  {
    source: "https://github.com/red-hat-storage/ocs-ci/issues/9263",
    kind: "capacity",
    providerCode: "InsufficientInstanceCapacity",
    text: "level=error msg=Error: creating EC2 Instance: InsufficientInstanceCapacity: We currently do not have sufficient m6i.xlarge capacity in the Availability Zone you requested (us-east-2a). Our system will be working on provisioning additional capacity. You can currently get m6i.xlarge capacity by not specifying an Availability Zone in your request or choosing us-east-2b, us-east-2c.\nlevel=error msg=\tstatus code: 500, request id: 889de2c1-f2f8-460c-a127-847a8493109a",
  },
  {
    source: "https://github.com/skyplane-project/skyplane/issues/299",
    kind: "capacity",
    providerCode: "InsufficientInstanceCapacity",
    text: "An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation (reached max retries: 4): We currently do not have sufficient m5.8xlarge capacity in the Availability Zone you requested (us-west-1a). Our system will be working on provisioning additional capacity. You can currently get m5.8xlarge capacity by not specifying an Availability Zone in your request or choosing us-west-1b.",
  },
  {
    source: "https://github.com/aws/aws-parallelcluster-node/pull/415",
    kind: "capacity",
    providerCode: "SpotMaxPriceTooLow",
    text: "An error occurred (SpotMaxPriceTooLow) when calling the RunInstances operation: Your Spot request price of 0.001 is lower than the minimum required Spot request fulfillment price of 0.0374.",
  },
  {
    source: "https://github.com/AlexsLemonade/refinebio/issues/528",
    kind: "capacity",
    providerCode: "capacity-oversubscribed",
    text: "capacity-oversubscribed: Your Spot request was not fulfilled as there is no more unused capacity available in this pool. You can currently get capacity by not specifying an Availability Zone in your request or choosing other instance types.",
  },
  {
    source: "https://github.com/aws/aws-parallelcluster-node/pull/673 (quoting the EC2 API error reference)",
    kind: "capacity",
    providerCode: "UnfulfillableCapacity",
    text: "UnfulfillableCapacity: At this time there isn't enough spare capacity to fulfill your request for Spot Instances. You can wait a few minutes to see whether capacity becomes available for your request.",
  },
  {
    source: "https://github.com/googlefonts/fontbakery-dashboard/issues/81",
    kind: "capacity",
    providerCode: "ZONE_RESOURCE_POOL_EXHAUSTED",
    text: "ZONE_RESOURCE_POOL_EXHAUSTED: The zone 'projects/fontbakery-168509/zones/us-central1-a' does not have enough resources available to fulfill the request. Try a different zone, or try again later.",
  },
  {
    source: "https://github.com/scylladb/scylla-cluster-tests/issues/12477",
    kind: "capacity",
    providerCode: "ZONE_RESOURCE_POOL_EXHAUSTED",
    // Also says "503 SERVICE UNAVAILABLE": it must not be taken for a network blip and retried in place.
    text: "exception=503 SERVICE UNAVAILABLE ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS: The zone 'projects/sct-project-1/zones/us-east1-c' does not have enough resources available to fulfill the request.  '(resource type:compute)'.",
  },
  {
    source: "https://github.com/kubernetes/k8s.io/issues/9834",
    kind: "capacity",
    providerCode: "ZONE_RESOURCE_POOL_EXHAUSTED",
    text: "ERROR: (gcloud.compute.instances.create) Could not fetch resource:\n---\ncode: ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS\nerrorDetails:\n- localizedMessage:\n    locale: en-US\n    message: A n1-standard-4 VM instance with 1 nvidia-tesla-t4 accelerator(s) is\n      currently unavailable in the us-central1-b zone.",
  },
  {
    source: "https://github.com/Azure/pcs-cli/issues/147",
    kind: "capacity",
    providerCode: "SkuNotAvailable",
    text: '{\n  "error": {\n    "code": "SkuNotAvailable",\n    "message": "The requested size for resource \'/subscriptions/fed9fe4c-5871-4957-ab75-5bc63c8bf9c1/resourceGroups/devisiotpseng3/providers/Microsoft.Compute/virtualMachines/vm-e34ux\' is currently not available in location \'centralus\' for subscription \'fed9fe4c-5871-4957-ab75-5bc63c8bf9c1\'. Please try another size or deploy to a different location. See https://aka.ms/azureskunotavailable for details."\n  }\n}',
  },
  {
    source: "https://github.com/Azure-Samples/azuresandbox/issues/70",
    kind: "capacity",
    providerCode: "SkuNotAvailable",
    text: "performing CreateOrUpdate: unexpected status 409 (409 Conflict) with error: SkuNotAvailable: The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: Standard_B2s' is currently not available in location 'eastus'. Please try another size or deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for details.",
  },
  {
    source: "https://github.com/vmware-tanzu/community-edition/issues/3963",
    kind: "capacity",
    providerCode: "AllocationFailed",
    text: 'failed to create VM test-mc-20262-control-plane-khwrh in resource group test-mc-20262-resource-group: Code="AllocationFailed" Message="Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance"',
  },
  {
    source: "https://github.com/bentoml/bentoctl/issues/202",
    kind: "quota",
    providerCode: "VcpuLimitExceeded",
    text: "creating EC2 Instance: VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
  },
  {
    source: "https://github.com/fastai/course-v3/pull/165",
    kind: "quota",
    providerCode: "QUOTA_EXCEEDED",
    text: "ERROR: (gcloud.compute.instances.create) Could not fetch resource:\n - Quota 'GPUS_ALL_REGIONS' exceeded. Limit: 0.0 globally.",
  },
  {
    source: "https://github.com/huggingface/Google-Cloud-Containers/issues/126",
    kind: "quota",
    providerCode: "QUOTA_EXCEEDED",
    text: "Node scale up in zones us-central1-c associated with this pod failed: GCE quota exceeded. Pod is at risk of not being scheduled.",
  },
  {
    source: "https://github.com/Azure/karpenter-provider-azure/issues/192",
    kind: "quota",
    providerCode: "OperationNotAllowed",
    text: 'RESPONSE 409: 409 Conflict\nERROR CODE: OperationNotAllowed\n--------------------------------------------------------------------------------\n{\n  "error": {\n    "code": "OperationNotAllowed",\n    "message": "Operation could not be completed as it results in exceeding approved standardDASv5Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 100, Current Usage: 96, Additional Required: 64, (Minimum) New Limit Required: 160."',
  },
  {
    source: "https://github.com/nforgeio/neonKUBE/issues/1671",
    kind: "quota",
    providerCode: "OperationNotAllowed",
    text: "Azure.RequestFailedException: 'Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Additional details - Deployment Model: Resource Manager, Location: centralus, Current Limit: 10, Current Usage: 8, Additional Required: 4, (Minimum) New Limit Required: 12.\nStatus: 409 (Conflict)\nErrorCode: OperationNotAllowed",
  },
  {
    source: "https://github.com/tayganr/purviewlab/issues/77",
    kind: "quota",
    providerCode: "QuotaExceeded",
    text: '{"code":"InvalidTemplateDeployment","details":[[{"code":"QuotaExceeded","message":"Operation could not be completed as it results in exceeding approved standardDADSv5Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: westus2, Current Limit: 0, Current Usage: 0, Additional Required: 2, (Minimum) New Limit Required: 2.',
  },
];

describe("capacity and quota failures (real provider error texts)", function () {
  for (const f of FIXTURES) {
    it(`${f.kind} ${f.providerCode} from ${f.source}`, function () {
      assert.deepEqual(classifyPlacementFailure(f.text), {
        kind: f.kind,
        code: f.kind === "capacity" ? "capacity_unavailable" : "quota_exceeded",
        retryable: false,
        providerCode: f.providerCode,
      });
      // Through the engine's one classifier, also as a Pulumi CLI error wraps it.
      const wrapped = new Error(
        `code: 255\n stdout: \n stderr: Updating (dev):\n    error: ${f.text.split("\n").join("\n    ")}\n err?: `,
      );
      wrapped.name = "CommandError";
      const c = classifyEngineError(wrapped);
      assert.equal(c.kind, f.kind);
      assert.equal(c.providerCode, f.providerCode);
      assert.equal(c.retryable, false);
    });
  }

  it("matches the spot and allocation codes no captured text covers yet, by code only", function () {
    assert.equal(
      classifyPlacementFailure("InsufficientSpotCapacity: no spot capacity")?.providerCode,
      "InsufficientSpotCapacity",
    );
    assert.equal(classifyPlacementFailure("Spot request status: capacity-not-available")?.kind, "capacity");
    assert.equal(
      classifyPlacementFailure('Code="OverconstrainedAllocationRequest"')?.providerCode,
      "OverconstrainedAllocationRequest",
    );
  });

  it("does not take other failures for capacity or quota", function () {
    for (const text of [
      "Code: OperationNotAllowed Message: The operation is not allowed on a VM that is being deallocated.",
      "error: resource 'node-pool' failed: InvalidParameter: The value of parameter vmSize is invalid.",
      "ECONNRESET while calling https://ec2.us-east-1.amazonaws.com",
      "the capacity of the disk must be at least 30 GiB",
    ]) {
      assert.equal(classifyPlacementFailure(text), undefined, text);
    }
    const blip = classifyEngineError(new Error("503 Service Unavailable"));
    assert.equal(blip.kind, "transient");
  });

  it("keeps capacity and quota kinds across the child-process boundary", function () {
    const copied = {
      name: "EngineOperationError",
      kind: "quota",
      code: "quota_exceeded",
      message: "VcpuLimitExceeded: ...",
    };
    assert.equal(classifyEngineError(copied).kind, "quota");
  });
});
