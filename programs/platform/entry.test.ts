import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { installMocks, settle, valueOf, type Registered } from "../../components/testing/pulumiMocks";
import type { PlatformClusterOutput } from "./outputs";

/** Engine config as `pulumi up` hands it over: `ns:key` → string (structured values as JSON). */
function engineConfigFromStackFile(path: string): Record<string, string> {
  // Independent of stackConfig.ts: read the YAML and flatten it by hand.
  const doc = parse(readFileSync(path, "utf8")) as { config: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.config)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

const ENTRY = join(__dirname, "..", "..", "index.ts");

/** Load the entry afresh (CommonJS, so the require cache can be cleared between runs). */
function loadEntry(): Record<string, unknown> {
  delete require.cache[require.resolve(ENTRY)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the cache must be cleared between runs
  return require(ENTRY) as Record<string, unknown>;
}

describe("the program entry (root index.ts) under mocks", () => {
  let registered: Registered[];
  let saved: Record<string, string>;

  before(async () => {
    registered = await installMocks();
    saved = pulumi.runtime.allConfig();
  });
  after(() => {
    pulumi.runtime.setAllConfig(saved);
    delete require.cache[require.resolve(ENTRY)];
  });
  beforeEach(() => {
    registered.length = 0;
    delete require.cache[require.resolve(ENTRY)];
  });

  it("reads the stack config at the edge and exports clusters and secret kubeconfigs, keyed by cluster", async () => {
    pulumi.runtime.setAllConfig(engineConfigFromStackFile(join(__dirname, "..", "..", "Pulumi.dev.yaml")));
    const entry = loadEntry();
    const clusters = await valueOf(
      pulumi.output(entry["clusters"]) as pulumi.Output<Record<string, PlatformClusterOutput>>,
    );
    assert.deepEqual(Object.keys(clusters).sort(), ["aws-us-east-1", "azure-westus3", "gcp-us-central1"]);
    assert.equal(await pulumi.isSecret(pulumi.output(entry["clusters"])), false);
    assert.equal(await pulumi.isSecret(pulumi.output(entry["kubeconfigs"])), true, "kubeconfigs are secret");
    const resolved = clusters["aws-us-east-1"];
    assert.ok(resolved);
    assert.equal(resolved.region, "us-east-1");
    assert.deepEqual(
      resolved.pools.map((p) => p.name),
      ["l4", "l4-fallback", "a10g"],
    );
    await settle(registered);
    assert.equal(registered.filter((r) => r.type === "modelplane:compute:GpuCluster").length, 3);
  });

  it("a misspelled key fails with the key and the allowed keys named", async () => {
    const config = engineConfigFromStackFile(join(__dirname, "..", "..", "Pulumi.dev.yaml"));
    config["modelplane:deletionProtecton"] = "false";
    pulumi.runtime.setAllConfig(config);
    assert.throws(
      () => loadEntry(),
      /modelplane:deletionProtecton: unknown key "deletionProtecton"; allowed keys: name, owner, costCenter, tags, deletionProtection/,
    );
    await settle(registered);
    assert.equal(registered.length, 0);
  });
});
