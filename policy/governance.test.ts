import * as assert from "node:assert/strict";
import { foldTagKey, imageRefusal, requestGovernance, reservedTagReason } from "./governance";
import { DEFAULT_IMAGE_REGISTRIES, imageRepository } from "./policies/image-rules";

describe("request governance from the policy config", () => {
  it("reserves the configured opt-out tag, modelplane*, managed-by and the cost tags", () => {
    const g = requestGovernance({ "spot-required-outside-production": { optOutTag: "finops/allow-od" } });
    assert.match(reservedTagReason("finops/allow-od", g) ?? "", /spot-required-outside-production/);
    assert.match(reservedTagReason("FinOps_Allow_OD", g) ?? "", /spot-required/, "any spelling that folds alike");
    assert.ok(reservedTagReason("modelplane-allow-on-demand", g), "modelplane* stays reserved");
    assert.ok(reservedTagReason("managed-by", g));
    assert.match(reservedTagReason("owner", g) ?? "", /`owner` field/);
    assert.equal(reservedTagReason("team", g), undefined);
    assert.equal(foldTagKey("A__b//c"), "a-b-c");
  });

  it("allows images from the pinned images' owners by default and from configured registries", () => {
    assert.deepEqual([...DEFAULT_IMAGE_REGISTRIES].sort(), [
      "docker.io/amazon",
      "docker.io/library/redis",
      "docker.io/vllm",
      "gcr.io/google.com/cloudsdktool",
      "mcr.microsoft.com",
      "nvcr.io/nvidia",
    ]);
    const g = requestGovernance();
    assert.equal(imageRefusal("vllm/vllm-openai:v0.11.0", g), undefined);
    assert.match(imageRefusal("ubuntu", g) ?? "", /docker\.io\/library\/ubuntu is not allowed/);
    assert.ok(imageRefusal("nvcr.io/nvidiaX/evil:1", g), "a prefix match stops at a path boundary");
    const ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    const custom = requestGovernance({ "allowed-image-registries": { registries: [ecr] } });
    assert.equal(imageRefusal(`${ecr}/vllm:1@sha256:abc`, custom), undefined);
    assert.equal(imageRepository("localhost:5000/x/y:1"), "localhost:5000/x/y");
  });
});
