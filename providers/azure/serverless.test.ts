import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  blobFetchScript,
  COMPLETE_MARKER,
  MODEL_MOUNT,
  CONTAINER_APPS_SKUS,
  gpuWorkloadProfiles,
  VLLM_SERVER_MODULE,
  WEIGHTS_DIR,
} from "./serverless";

describe("azure serverless (pure)", () => {
  it("the server container downloads the folder as the user-assigned identity, then execs vLLM; no az login (#9)", () => {
    const script = blobFetchScript("https://acct123.blob.core.windows.net/models/llama/v1/");
    assert.doesNotMatch(script, /az login/, "init containers, and az login --identity, get no managed identity");
    assert.match(script, /os\.environ\['IDENTITY_ENDPOINT'\]/);
    assert.match(script, /account, container, prefix = 'acct123', 'models', 'llama\/v1\/'/);
    assert.ok(script.endsWith(`exec python3 -m ${VLLM_SERVER_MODULE} "$@"`));
    assert.match(
      blobFetchScript("https://acct123.blob.core.windows.net/models"),
      /account, container, prefix = 'acct123', 'models', ''/,
    );
    assert.ok(script.includes(`if [ ! -f '${WEIGHTS_DIR}/${COMPLETE_MARKER}' ]; then`));
  });

  it("refuses URIs that are not blob URIs or carry shell metacharacters, naming modelUri", () => {
    assert.throws(() => blobFetchScript("https://example.com/models/x"), /^ValidationError: modelUri:/);
    assert.throws(
      () => blobFetchScript("https://acct123.blob.core.windows.net/models/x';rm -rf /'"),
      /^ValidationError: modelUri:/,
    );
  });

  it("builds one GPU workload profile per SKU plus Consumption, without duplicates", () => {
    const profiles = gpuWorkloadProfiles([...CONTAINER_APPS_SKUS, ...CONTAINER_APPS_SKUS]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ["Consumption", "gpu-t4", "gpu-a100"],
    );
  });

  it("downloads into a temporary folder and moves it into place once; a later start finds the marker and skips the download", () => {
    const root = mkdtempSync(join(tmpdir(), "mp-azfetch-"));
    try {
      const bin = join(root, "bin");
      const log = join(root, "calls.log");
      execFileSync("mkdir", ["-p", bin, join(root, "models")]);
      // A stand-in python3: `-` (the download) writes one file into $DEST; `-m` (the server) records its args.
      writeFileSync(
        join(bin, "python3"),
        `#!/bin/sh\nif [ "$1" = "-" ]; then cat >/dev/null; echo download >> "${log}"; echo w > "$DEST/model.safetensors"; else echo "serve $*" >> "${log}"; fi\n`,
      );
      chmodSync(join(bin, "python3"), 0o755);
      const script = blobFetchScript("https://acct123.blob.core.windows.net/models/llama/v1").replaceAll(
        MODEL_MOUNT,
        join(root, "models"),
      );
      const run = (): void => {
        execFileSync("/bin/sh", ["-c", script, "fetch-then-serve", "--port", "8000"], {
          env: { ...process.env, PATH: `${bin}:${process.env["PATH"] ?? ""}` },
        });
      };
      run();
      const weights = join(root, "models", "weights");
      assert.ok(existsSync(join(weights, COMPLETE_MARKER)), "the marker is written with the weights");
      assert.equal(readFileSync(join(weights, "model.safetensors"), "utf8"), "w\n");
      run();
      assert.deepEqual(readFileSync(log, "utf8").trim().split("\n"), [
        "download",
        "serve -m vllm.entrypoints.openai.api_server --port 8000",
        "serve -m vllm.entrypoints.openai.api_server --port 8000",
      ]);
      assert.deepEqual(
        execFileSync("ls", ["-A", join(root, "models")], { encoding: "utf8" })
          .trim()
          .split("\n"),
        ["weights"],
        "no temporary folder is left behind",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
