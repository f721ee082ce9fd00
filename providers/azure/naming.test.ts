import * as assert from "node:assert/strict";
import { checkContainerAppName, checkStorageAccountName, containerAppName, storageAccountName } from "./naming";

const LONG_ODD = "Meta_Llama_3.1_70B_Instruct__AWQ_INT4_Quantized_Model_ver_42";

describe("azure naming", () => {
  it("turns a 60-character odd name into a 3–24 lowercase-alphanumeric storage account name", () => {
    const name = storageAccountName(LONG_ODD, `ns/${LONG_ODD}`);
    assert.match(name, /^[a-z0-9]{3,24}$/);
    assert.equal(name.length, 24);
    assert.equal(checkStorageAccountName(name), undefined);
    assert.equal(name, storageAccountName(LONG_ODD, `ns/${LONG_ODD}`));
    assert.ok(name.startsWith("mpmetallama31"), name);
  });

  it("separates Llama_3 from llama-3 and the same name in two namespaces", () => {
    assert.notEqual(storageAccountName("Llama_3", "ns/Llama_3"), storageAccountName("llama-3", "ns/llama-3"));
    assert.notEqual(storageAccountName("llama-3", "a/llama-3"), storageAccountName("llama-3", "b/llama-3"));
  });

  it("stays valid for symbol-only and non-Latin inputs", () => {
    for (const seed of ["---", "Модель", "A", "x".repeat(300)]) {
      assert.match(storageAccountName(seed, seed), /^[a-z0-9]{3,24}$/);
    }
  });

  it("explains why a given account name is invalid", () => {
    assert.match(checkStorageAccountName("has-dash") ?? "", /lowercase letters and digits/);
    assert.match(checkStorageAccountName("a".repeat(25)) ?? "", /3–24/);
    assert.match(checkStorageAccountName("Upper") ?? "", /lowercase/);
  });

  it("builds Container Apps names that start with a letter and fit 32 characters", () => {
    for (const seed of [LONG_ODD, "9b-model", "---", "ok"]) {
      const name = containerAppName(seed, seed);
      assert.equal(checkContainerAppName(name), undefined, `${seed} → ${name}`);
    }
  });
});
