import * as assert from "node:assert/strict";
import {
  checkGcsBucketName,
  checkServiceAccountId,
  cloudRunServiceName,
  gcsBucketName,
  serviceAccountId,
} from "./naming";

/** The GCS rules (dot-free names), written out independently of checkGcsBucketName. */
function obeysGcsRules(name: string): boolean {
  return (
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9_-]*[a-z0-9]$/.test(name) &&
    !name.startsWith("goog") &&
    !/google|g00gle|goog1e/.test(name)
  );
}

const LONG_ODD = "Meta_Llama_3.1_70B_Instruct__AWQ_INT4_Quantized_Model_ver_42";

describe("gcp naming", () => {
  it("turns a 60-character odd name into a valid bucket name, deterministically", () => {
    const name = gcsBucketName(LONG_ODD, `ns/${LONG_ODD}`);
    assert.ok(obeysGcsRules(name), name);
    assert.equal(checkGcsBucketName(name), undefined);
    assert.equal(name, gcsBucketName(LONG_ODD, `ns/${LONG_ODD}`));
  });

  it("separates Llama_3 from llama-3", () => {
    assert.notEqual(gcsBucketName("Llama_3", "ns/Llama_3"), gcsBucketName("llama-3", "ns/llama-3"));
  });

  it("removes google and look-alikes, which GCS refuses anywhere in a name", () => {
    for (const seed of ["google/gemma-2-9b", "G00GLE_model", "googlegoogle", "goog"]) {
      const name = gcsBucketName(seed, `ns/${seed}`);
      assert.ok(obeysGcsRules(name), `${seed} → ${name}`);
    }
    assert.match(gcsBucketName("google/gemma-2-9b", "x"), /^mp-ggl-gemma-2-9b-[0-9a-f]{8}$/);
  });

  it("explains why a given name is invalid", () => {
    assert.match(checkGcsBucketName("goog-models") ?? "", /goog/);
    assert.match(checkGcsBucketName("my-google-models") ?? "", /google/);
    assert.match(checkGcsBucketName("Models") ?? "", /lowercase/);
    assert.match(checkGcsBucketName("10.0.0.1") ?? "", /IP/);
  });

  it("builds service-account ids and Cloud Run names within their limits", () => {
    for (const seed of [LONG_ODD, "x", "9lives", "---"]) {
      const id = serviceAccountId(seed, seed, "rd");
      assert.equal(checkServiceAccountId(id), undefined, `${seed} → ${id}`);
      const svc = cloudRunServiceName(seed, seed);
      assert.ok(svc.length <= 49, svc);
      assert.match(svc, /^[a-z][a-z0-9-]*[a-z0-9]$/);
    }
  });
});
