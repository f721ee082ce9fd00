import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkArtifactUri, parseModelConfig, parseModelRef } from "./model-config";
import { ValidationError } from "./validation";

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, "model-config", "fixtures", `${name}.json`), "utf8")) as Record<
    string,
    unknown
  >;
}

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("parseModelConfig on real config.json files", () => {
  // Expected values read off the model cards (fixtures/README.md), not computed by the parser.
  const cases: Array<{
    file: string;
    layers: number;
    heads: number;
    kv: number;
    headDim: number;
    hidden: number;
    ctx: number;
    params: number;
  }> = [
    { file: "llama-3.1-8b", layers: 32, heads: 32, kv: 8, headDim: 128, hidden: 4096, ctx: 131072, params: 8.03 },
    { file: "llama-3.1-70b", layers: 80, heads: 64, kv: 8, headDim: 128, hidden: 8192, ctx: 131072, params: 70.6 },
    { file: "mixtral-8x7b", layers: 32, heads: 32, kv: 8, headDim: 128, hidden: 4096, ctx: 32768, params: 46.7 },
    {
      file: "qwen2.5-72b-instruct",
      layers: 80,
      heads: 64,
      kv: 8,
      headDim: 128,
      hidden: 8192,
      ctx: 32768,
      params: 72.7,
    },
    { file: "gemma-2-9b", layers: 42, heads: 16, kv: 8, headDim: 256, hidden: 3584, ctx: 8192, params: 9.24 },
  ];
  for (const c of cases) {
    it(`${c.file}: architecture exact, parameters within 1 % of the published count`, () => {
      const { architecture: a, estimatedParametersBillions } = parseModelConfig(fixture(c.file));
      assert.deepEqual(
        [a.layers, a.attentionHeads, a.kvHeads, a.headDim, a.hiddenSize, a.maxContextTokens],
        [c.layers, c.heads, c.kv, c.headDim, c.hidden, c.ctx],
      );
      assert.ok(estimatedParametersBillions !== undefined);
      assert.ok(
        Math.abs(estimatedParametersBillions - c.params) / c.params < 0.01,
        `${estimatedParametersBillions} vs ${c.params}`,
      );
    });
  }

  it("Mixtral counts every expert (all in memory), not the two active per token", () => {
    const moe = parseModelConfig(fixture("mixtral-8x7b"));
    assert.equal(moe.architecture.experts, 8);
    const dense = parseModelConfig({ ...fixture("mixtral-8x7b"), num_local_experts: undefined });
    assert.ok((moe.estimatedParametersBillions ?? 0) > 5 * (dense.estimatedParametersBillions ?? Infinity));
  });

  it("Gemma 2 takes head_dim as stated (256), not hidden_size / heads (224)", () => {
    assert.equal(parseModelConfig(fixture("gemma-2-9b")).architecture.headDim, 256);
  });

  it("no num_key_value_heads means multi-head attention: KV heads = attention heads", () => {
    const c = { ...fixture("llama-3.1-8b") };
    delete c["num_key_value_heads"];
    assert.equal(parseModelConfig(c).architecture.kvHeads, 32);
  });

  it("a missing needed field is an error naming it under the caller's field", () => {
    for (const key of ["num_hidden_layers", "hidden_size", "num_attention_heads", "max_position_embeddings"]) {
      const c = { ...fixture("qwen2.5-72b-instruct") };
      delete c[key];
      assert.equal(
        fieldOf(() => parseModelConfig(c, "versions[1].config")),
        `versions[1].config.${key}`,
      );
    }
    assert.equal(
      fieldOf(() => parseModelConfig({ ...fixture("gemma-2-9b"), num_hidden_layers: "42" }, "c")),
      "c.num_hidden_layers",
    );
    assert.equal(
      fieldOf(() => parseModelConfig([], "c")),
      "c",
    );
  });

  it("without vocab_size the architecture is read but no parameter count is invented", () => {
    const c = { ...fixture("llama-3.1-8b") };
    delete c["vocab_size"];
    const parsed = parseModelConfig(c);
    assert.equal(parsed.architecture.layers, 32);
    assert.equal(parsed.estimatedParametersBillions, undefined);
  });
});

describe("checkArtifactUri", () => {
  it("accepts the four stores", () => {
    for (const u of [
      "s3://my-bucket/models/llama/",
      "gs://my-bucket/llama",
      "https://acct.blob.core.windows.net/models/llama",
      "hf://meta-llama/Llama-3.1-8B",
    ]) {
      assert.equal(checkArtifactUri(u, "f"), u);
    }
  });
  it("refuses anything else, naming the field", () => {
    for (const u of [
      "http://acct.blob.core.windows.net/x",
      "https://example.com/x",
      "hf://only-org",
      "ftp://x/y",
      "s3://",
    ]) {
      assert.equal(
        fieldOf(() => checkArtifactUri(u, "versions[0].artifactUri")),
        "versions[0].artifactUri",
        u,
      );
    }
  });
});

describe("parseModelRef", () => {
  it("splits name@version at the last @", () => {
    assert.deepEqual(parseModelRef("org@team/llama@2", "model.ref"), { name: "org@team/llama", version: "2" });
  });
  it("refuses a ref without a version", () => {
    assert.equal(
      fieldOf(() => parseModelRef("llama", "model.ref")),
      "model.ref",
    );
    assert.equal(
      fieldOf(() => parseModelRef("llama@", "model.ref")),
      "model.ref",
    );
  });
});
