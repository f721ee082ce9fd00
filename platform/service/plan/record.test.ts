import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { SECRET, toPlain } from "./record";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

describe("recording: inputs as plain JSON", () => {
  it("a secret becomes [secret]; its path and plain value are collected apart", () => {
    const secrets: Array<{ path: Array<string | number>; value: unknown }> = [];
    const plain = toPlain({ a: [{ b: 1 }, { token: secret("hush") }], c: secret({ n: 2 }) }, 0, secrets);
    assert.deepEqual(plain, { a: [{ b: 1 }, { token: SECRET }], c: SECRET });
    assert.deepEqual(secrets, [
      { path: ["a", 1, "token"], value: "hush" },
      { path: ["c"], value: { n: 2 } },
    ]);
    assert.ok(!JSON.stringify(plain).includes("hush"));
  });

  it("class instances become their class name; undefined fields are dropped", () => {
    class Asset {}
    assert.deepEqual(toPlain({ a: new Asset(), b: undefined, c: null }), { a: "[Asset]", c: null });
  });
});
