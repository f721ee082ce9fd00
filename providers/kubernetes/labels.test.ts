import { strict as assert } from "node:assert";
import { isLabelKey, isLabelValue, toK8sLabels, toLabelKey, toLabelValue } from "./labels";

describe("kubernetes labels", () => {
  it("keeps valid keys and values as they are", () => {
    assert.equal(toLabelValue("llama-3.1_70B"), "llama-3.1_70B");
    assert.equal(toLabelKey("modelplane/deployment-id"), "modelplane/deployment-id");
    assert.equal(toLabelValue(""), "");
  });

  it("folds free text (an email owner, spaces) into label syntax", () => {
    assert.equal(toLabelValue("alice@example.com"), "alice_example.com");
    assert.equal(toLabelValue(" ML Team! "), "ML_Team");
    for (const v of ["alice@example.com", " ML Team! ", "-x-", "??"]) assert.ok(isLabelValue(toLabelValue(v)), v);
  });

  it("cuts long values to 63 characters and keeps distinct long values distinct", () => {
    const a = toLabelValue(`${"a".repeat(80)}1`);
    const b = toLabelValue(`${"a".repeat(80)}2`);
    assert.ok(a.length <= 63 && isLabelValue(a));
    assert.notEqual(a, b);
  });

  it("fixes keys with an invalid prefix or name", () => {
    const k = toLabelKey("Cost Center/Team A");
    assert.ok(isLabelKey(k), k);
    assert.equal(k, "cost-center/Team_A");
    assert.equal(isLabelKey("a/b/c"), false);
    assert.ok(isLabelKey(toLabelKey("a/b/c")));
  });

  it("converts a whole tag map, sorted", () => {
    const labels = toK8sLabels({ owner: "bob@corp.io", "managed-by": "modelplane", "cost-center": "CC 42" });
    assert.deepEqual(Object.keys(labels), ["cost-center", "managed-by", "owner"]);
    assert.deepEqual(labels, { "cost-center": "CC_42", "managed-by": "modelplane", owner: "bob_corp.io" });
  });
});
