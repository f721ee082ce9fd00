import { strict as assert } from "node:assert";
import { stackNameFor, STACK_NAME_MAX } from "./stack-name";

const VALID = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

describe("stack names", () => {
  it("is deterministic and readable", () => {
    const a = stackNameFor({ tenant: "Research", model: "Llama-3.1-70B", environment: "dev" });
    assert.equal(a, stackNameFor({ tenant: "Research", model: "Llama-3.1-70B", environment: "dev" }));
    assert.match(a, /^research-llama-3-1-70b-dev-[0-9a-f]{8}$/);
  });

  it("does not collide for names that slug alike (Llama_3 vs llama-3)", () => {
    const a = stackNameFor({ tenant: "t", model: "Llama_3", environment: "dev" });
    const b = stackNameFor({ tenant: "t", model: "llama-3", environment: "dev" });
    assert.notEqual(a, b);
    assert.equal(a.slice(0, -9), b.slice(0, -9));
  });

  it("does not collide when a dash moves between fields", () => {
    assert.notEqual(
      stackNameFor({ tenant: "a-b", model: "c", environment: "dev" }),
      stackNameFor({ tenant: "a", model: "b-c", environment: "dev" }),
    );
  });

  it("is valid for every backend: lowercase [a-z0-9-], length-limited, even for hostile input", () => {
    const inputs = [
      { tenant: "Team A", model: "x".repeat(300), environment: "production" },
      { tenant: "___", model: "!!!", environment: "???" },
      { tenant: "Ünïcødé", model: "模型", environment: "dev" },
      { tenant: "t".repeat(90), model: "M/ODEL:1", environment: "staging-eu-west-extra-long" },
    ];
    for (const input of inputs) {
      const name = stackNameFor(input);
      assert.match(name, VALID, name);
      assert.ok(name.length <= STACK_NAME_MAX && name.length <= 100, `${name.length}`);
    }
  });
});
