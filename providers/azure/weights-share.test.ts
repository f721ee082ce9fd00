import * as assert from "node:assert/strict";
import { ValidationError } from "../../platform/core/validation";
import {
  MAX_EPHEMERAL_WEIGHTS_GIB,
  MAX_SHARE_GIB,
  parseEnvironmentId,
  shareQuotaGiB,
  weightsVolumeKind,
} from "./weights-share";

const field = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.field;
  }
  assert.fail("expected a ValidationError");
};

describe("azure weights share (pure, #9)", () => {
  it("keeps weights that fit the replica's ephemeral storage on the EmptyDir, larger ones on Azure Files", () => {
    assert.equal(weightsVolumeKind(undefined), "EmptyDir");
    assert.equal(weightsVolumeKind(MAX_EPHEMERAL_WEIGHTS_GIB), "EmptyDir");
    assert.equal(weightsVolumeKind(MAX_EPHEMERAL_WEIGHTS_GIB + 0.01), "AzureFile");
    assert.equal(weightsVolumeKind(140), "AzureFile");
  });

  it("sizes the share at the weights plus 20%, in whole GiB, and refuses past the 5 TiB share cap naming weightsGiB", () => {
    assert.equal(shareQuotaGiB(140), 168);
    assert.equal(shareQuotaGiB(14.9), 18);
    assert.equal(shareQuotaGiB(MAX_SHARE_GIB / 1.2), MAX_SHARE_GIB);
    assert.equal(
      field(() => shareQuotaGiB(MAX_SHARE_GIB / 1.2 + 1)),
      "weightsGiB",
    );
    assert.equal(
      field(() => shareQuotaGiB(0)),
      "weightsGiB",
    );
  });

  it("reads the environment name and resource group from an environment id, and names environmentId when it is not one", () => {
    assert.deepEqual(
      parseEnvironmentId("/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.App/managedEnvironments/env-a"),
      { resourceGroupName: "rg-1", environmentName: "env-a" },
    );
    assert.equal(
      field(() => parseEnvironmentId("/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.Web/sites/x")),
      "environmentId",
    );
  });
});
