import * as assert from "node:assert/strict";
import { checkS3BucketName, iamName, s3BucketName } from "./naming";

/** The S3 rules, written out independently of checkS3BucketName. */
function obeysS3Rules(name: string): boolean {
  return (
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith("xn--") &&
    !name.startsWith("sthree-") &&
    !name.startsWith("amzn-s3-demo-") &&
    !name.endsWith("-s3alias") &&
    !name.endsWith("--ol-s3") &&
    !name.endsWith("--x-s3") &&
    !name.endsWith("--table-s3")
  );
}

const LONG_ODD = "Meta_Llama_3.1_70B_Instruct__AWQ_INT4_Quantized_Model_ver_42";

describe("aws naming", () => {
  it("turns a 60-character name with capitals, dots and underscores into a valid, readable bucket name", () => {
    assert.equal(LONG_ODD.length, 60);
    const name = s3BucketName(LONG_ODD, `org/proj/dev/${LONG_ODD}`);
    assert.ok(obeysS3Rules(name), name);
    assert.equal(checkS3BucketName(name), undefined);
    assert.ok(name.startsWith("mp-meta-llama-3-1-70b-instruct-awq"), name);
    assert.ok(name.length <= 63);
  });

  it("is deterministic and separates inputs whose slugs agree", () => {
    assert.equal(s3BucketName("Llama_3", "ns/Llama_3"), s3BucketName("Llama_3", "ns/Llama_3"));
    assert.notEqual(s3BucketName("Llama_3", "ns/Llama_3"), s3BucketName("llama-3", "ns/llama-3"));
    assert.notEqual(s3BucketName("llama-3", "a/llama-3"), s3BucketName("llama-3", "b/llama-3"));
  });

  it("stays valid for IP-like, xn--, alias-like, symbol-only and non-Latin inputs", () => {
    for (const seed of [
      "192.168.1.1",
      "xn--bucket",
      "x-s3alias",
      "---",
      "Модель",
      "a",
      "sthree-x",
      "..a..b..",
      "a".repeat(200),
    ]) {
      const name = s3BucketName(seed, `ns/${seed}`);
      assert.ok(obeysS3Rules(name), `${seed} → ${name}`);
      assert.equal(checkS3BucketName(name), undefined, `${seed} → ${name}`);
    }
  });

  it("gives 2,000 similar inputs 2,000 distinct names", () => {
    const names = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      names.add(s3BucketName(`Model_${i}`, `ns/Model_${i}`));
      names.add(s3BucketName(`model-${i}`, `ns/model-${i}`));
    }
    assert.equal(names.size, 2000);
  });

  it("explains why a given name is invalid", () => {
    assert.match(checkS3BucketName("ab") ?? "", /3–63/);
    assert.match(checkS3BucketName("My_Bucket") ?? "", /lowercase/);
    assert.match(checkS3BucketName("a..b") ?? "", /adjacent dots/);
    assert.match(checkS3BucketName("192.168.1.1") ?? "", /IP address/);
    assert.match(checkS3BucketName("xn--abc") ?? "", /xn--/);
    assert.match(checkS3BucketName("abc-s3alias") ?? "", /-s3alias/);
    assert.match(checkS3BucketName("-abc") ?? "", /begin and end/);
    assert.equal(checkS3BucketName("mp-models-1a2b3c4d"), undefined);
  });

  it("builds IAM names of at most 64 allowed characters", () => {
    const name = iamName(LONG_ODD, "x", "reader");
    assert.ok(name.length <= 64, name);
    assert.match(name, /^[A-Za-z0-9+=,.@_-]+$/);
    assert.ok(name.endsWith("-reader"));
  });
});
