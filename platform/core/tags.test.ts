import * as assert from "node:assert/strict";
import { costTags, mergeTags, toAzureTags, toGcpLabels } from "./tags";

describe("cost tags", () => {
  it("merges model, owner, cost-center and managed-by over user tags", () => {
    const tags = costTags({
      model: "llama-3-8b",
      owner: "ml-team",
      costCenter: "cc-42",
      tags: { env: "dev", owner: "someone-else", "managed-by": "terraform" },
    });
    assert.deepEqual(tags, {
      "cost-center": "cc-42",
      env: "dev",
      "managed-by": "modelplane",
      model: "llama-3-8b",
      owner: "ml-team",
    });
  });

  it("always carries managed-by even with no input, and keeps user tags when fields are absent", () => {
    assert.deepEqual(costTags(), { "managed-by": "modelplane" });
    assert.deepEqual(costTags({ tags: { owner: "team-a" } }), { "managed-by": "modelplane", owner: "team-a" });
  });

  it("mergeTags lets the extra tags win but not over managed-by", () => {
    assert.deepEqual(mergeTags({ a: "1", b: "2" }, { b: "3", "managed-by": "x" }), {
      a: "1",
      b: "3",
      "managed-by": "modelplane",
    });
  });

  it("converts to GCP-label-safe form", () => {
    const labels = toGcpLabels({ "Cost-Center": "CC 42/Finance", "1st": "x", model: "Llama_3.1-8B", "": "dropped" });
    assert.deepEqual(labels, { "cost-center": "cc_42_finance", k1st: "x", model: "llama_3_1-8b" });
    const long = toGcpLabels({ ["k".repeat(80)]: "v".repeat(80) });
    const [key, value] = Object.entries(long)[0] ?? ["", ""];
    assert.equal(key.length, 63);
    assert.equal(value.length, 63);
    for (const [k, v] of Object.entries(labels)) {
      assert.match(k, /^[a-z][a-z0-9_-]{0,62}$/);
      assert.match(v, /^[a-z0-9_-]{0,63}$/);
    }
  });

  it("strips characters Azure forbids in tag names", () => {
    assert.deepEqual(toAzureTags({ "a/b?c": "v", ok: "w" }), { a_b_c: "v", ok: "w" });
  });
});
