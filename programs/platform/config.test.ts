import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../../platform/core/validation";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { awsCluster } from "../../providers/aws/cluster";
import { awsPool } from "../../providers/aws/pool";
import { gcpCluster } from "../../providers/gcp/cluster";
import { gcpPool } from "../../providers/gcp/pool";
import { azureCluster } from "../../providers/azure/cluster";
import { azurePool } from "../../providers/azure/pool";
import {
  allowedKeysAt,
  parsePlatformConfig,
  PlatformConfigSchema,
  validatePlatformConfig,
  type CloudFacts,
} from "./config";
import { rawConfigFromEngine, rawConfigFromStackYaml } from "./stackConfig";

const FACTS: Record<"aws" | "gcp" | "azure", CloudFacts> = {
  aws: { cluster: awsCluster, pool: awsPool },
  gcp: { cluster: gcpCluster, pool: gcpPool },
  azure: { cluster: azureCluster, pool: azurePool },
};
const facts = (cloud: "aws" | "gcp" | "azure"): CloudFacts => FACTS[cloud];

const shipped = (): Record<string, unknown> =>
  rawConfigFromStackYaml(readFileSync(join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8"), "Pulumi.dev.yaml");

/** The shipped config with one change made by `edit` (deep copy first). */
function edited(
  edit: (
    raw: { clouds: Array<Record<string, unknown> & { gpuPools: Array<Record<string, unknown>> }> } & Record<
      string,
      unknown
    >,
  ) => void,
): unknown {
  const raw = structuredClone(shipped()) as Parameters<typeof edit>[0];
  edit(raw);
  return raw;
}

function failsAt(raw: unknown, field: string, includes?: string): void {
  assert.throws(
    () => validatePlatformConfig(parsePlatformConfig(raw), facts, defaultCatalog()),
    (err: unknown) => {
      assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
      assert.equal(err.field, field, err.message);
      if (includes) assert.ok(err.message.includes(includes), `"${err.message}" should include "${includes}"`);
      return true;
    },
  );
}

describe("platform config (pure)", () => {
  it("the shipped Pulumi.dev.yaml parses and validates against the shipped catalog", () => {
    const config = parsePlatformConfig(shipped());
    assert.deepEqual(
      config.clouds.map((c) => c.cloud),
      ["aws", "gcp", "azure"],
    );
    assert.equal(config.deletionProtection, false);
    const plans = validatePlatformConfig(config, facts, defaultCatalog());
    const summary = plans.map((p) =>
      (p.kind === "managed" ? p.pools : []).map(
        (q) =>
          `${p.config.cloud}:${q.config.name}:${q.plan.instanceType}:${q.plan.primary.capacity}${q.plan.fallback ? "+od" : ""}`,
      ),
    );
    assert.deepEqual(summary, [
      ["aws:l4:g6.xlarge:spot+od", "aws:a10g:g5.xlarge:spot"],
      ["gcp:l4:g2-standard-4:spot+od", "gcp:a100:a2-highgpu-1g:spot"],
      ["azure:t4:Standard_NC4as_T4_v3:spot+od", "azure:a100:Standard_NC24ads_A100_v4:spot"],
    ]);
    const first = plans[0];
    assert.equal(first?.kind === "managed" ? first.pools[0]?.plan.fallback?.maxNodes : undefined, 1);
    assert.deepEqual(
      plans.map((p) => [p.name, p.resourceBase]),
      [
        ["aws-us-east-1", "modelplane-aws"],
        ["gcp-us-central1", "modelplane-gcp"],
        ["azure-westus3", "modelplane-azure"],
      ],
    );
  });

  it("a GPU type not offered on the cloud names the key and lists the offered types", () => {
    failsAt(
      edited((r) => {
        const p = r.clouds[1]?.gpuPools[0];
        if (p) p["gpu"] = "A200";
      }),
      "modelplane:clouds[1].gpuPools[0].gpu",
      '"A200" is not a GPU type offered on gcp; offered: T4, L4, A100, A100-80GB, H100',
    );
  });

  it("an unknown key names the key and the allowed keys, at any depth", () => {
    failsAt(
      edited((r) => {
        r["cloudz"] = [];
      }),
      "modelplane:cloudz",
      "allowed keys: name, owner, costCenter, tags, deletionProtection, storage, clouds",
    );
    failsAt(
      edited((r) => {
        const p = r.clouds[0]?.gpuPools[1];
        if (p) p["maxNode"] = 3;
      }),
      "modelplane:clouds[0].gpuPools[1].maxNode",
      "allowed keys: name, gpu, instanceType",
    );
    failsAt(
      edited((r) => {
        (r["storage"] as Record<string, unknown>)["coolDays"] = 3;
      }),
      "modelplane:storage.coolDays",
      "allowed keys: coolAfterDays",
    );
  });

  it("a wrong value names the key and the allowed values", () => {
    failsAt(
      edited((r) => {
        const c = r.clouds[2];
        if (c) c["cloud"] = "oracle";
      }),
      "modelplane:clouds[2].cloud",
      '"oracle" is not a supported cloud; use one of aws, gcp, azure, kubernetes',
    );
    failsAt(
      edited((r) => {
        const p = r.clouds[0]?.gpuPools[0];
        if (p) p["minNodes"] = 5;
      }),
      "modelplane:clouds[0].gpuPools[0].minNodes",
      "greater than maxNodes (3)",
    );
    failsAt(
      edited((r) => {
        (r["storage"] as Record<string, unknown>)["coolAfterDays"] = -1;
      }),
      "modelplane:storage.coolAfterDays",
      "≥ 0",
    );
    failsAt(
      edited((r) => {
        (r["storage"] as Record<string, unknown>)["coldAfterDays"] = 10;
      }),
      "modelplane:storage.coldAfterDays",
      "greater than",
    );
    failsAt(
      edited((r) => {
        r["clouds"] = [];
      }),
      "modelplane:clouds",
      "enable at least one cloud",
    );
  });

  it("cross-field rules: duplicate clouds and pools, options of another cloud, fallback without on-demand", () => {
    failsAt(
      edited((r) => {
        const c = r.clouds[1];
        if (c) {
          c["cloud"] = "aws";
          c["region"] = "us-east-1";
          delete c["zone"];
          c["gpuPools"] = [];
        }
      }),
      "modelplane:clouds[1]",
      "aws us-east-1 is already configured in clouds[0]",
    );
    failsAt(
      edited((r) => {
        const p = r.clouds[0]?.gpuPools[1];
        if (p) p["name"] = "l4";
      }),
      "modelplane:clouds[0].gpuPools[1].name",
      "already used by gpuPools[0]",
    );
    failsAt(
      edited((r) => {
        const c = r.clouds[0];
        if (c) c["zone"] = "us-east-1a";
      }),
      "modelplane:clouds[0].zone",
      "does not apply to aws",
    );
    failsAt(
      edited((r) => {
        const p = r.clouds[1]?.gpuPools[1];
        if (p) p["amiType"] = "AL2023_x86_64_NVIDIA";
      }),
      "modelplane:clouds[1].gpuPools[1].amiType",
      "aws only",
    );
    failsAt(
      edited((r) => {
        const c = r.clouds[0];
        if (c) {
          c["region"] = "eu-west-1";
          c["gpuPools"] = [{ name: "a", gpu: "L4", fallback: true }];
        }
      }),
      "modelplane:clouds[0].gpuPools[0].fallback",
      "no on-demand offer of g6.xlarge (L4) on aws in eu-west-1",
    );
  });

  it("per-pool tags and the per-cloud serverless switch: defaults, and a wrong value names the key", () => {
    const config = parsePlatformConfig(shipped());
    assert.deepEqual(
      config.clouds.map((c) => (c.cloud === "kubernetes" ? undefined : c.serverless)),
      [true, true, true],
    );
    const c0 = config.clouds[0];
    assert.equal(c0?.cloud !== "kubernetes" ? c0?.gpuPools[0]?.tags : "n/a", undefined);
    const raw = edited((r) => {
      const c = r.clouds[2];
      if (c) {
        c["serverless"] = false;
        const p = c.gpuPools[1];
        if (p) {
          p["spot"] = false;
          p["tags"] = { "modelplane-allow-on-demand": "true" };
        }
      }
    });
    const parsed = parsePlatformConfig(raw);
    const c2 = parsed.clouds[2];
    assert.ok(c2 && c2.cloud !== "kubernetes");
    assert.equal(c2.serverless, false);
    assert.deepEqual(c2.gpuPools[1]?.tags, { "modelplane-allow-on-demand": "true" });
    failsAt(
      edited((r) => {
        const c = r.clouds[2];
        if (c) c["serverless"] = "no";
      }),
      "modelplane:clouds[2].serverless",
    );
    failsAt(
      edited((r) => {
        const p = r.clouds[0]?.gpuPools[0];
        if (p) p["tags"] = { team: 7 };
      }),
      "modelplane:clouds[0].gpuPools[0].tags.team",
    );
  });

  it("reads engine config (JSON strings) the same as the YAML file", () => {
    const engine: Record<string, string> = { "aws:region": "us-east-1" };
    for (const [k, v] of Object.entries(shipped()))
      engine[`modelplane:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    assert.deepEqual(parsePlatformConfig(rawConfigFromEngine(engine)), parsePlatformConfig(shipped()));
  });

  it("rejects a stack file without config, and finds allowed keys through arrays and defaults", () => {
    assert.throws(
      () => rawConfigFromStackYaml("encryptionsalt: x\n", "Pulumi.x.yaml"),
      /Pulumi\.x\.yaml: has no `config:` map/,
    );
    assert.deepEqual(allowedKeysAt(PlatformConfigSchema, ["clouds", 0, "gpuPools", 0, "fallback"]), [
      "minNodes",
      "maxNodes",
    ]);
    assert.equal(allowedKeysAt(PlatformConfigSchema, ["clouds", 0, "region"]), undefined);
  });

  describe("several clusters per cloud, and existing clusters", () => {
    const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers: [{name: u, user: {token: s3cr3t-token-42}}]\n";
    const euWest = { cloud: "aws", region: "eu-west-1", gpuPools: [{ name: "t4", gpu: "T4", maxNodes: 2 }] };
    const onprem = {
      cloud: "kubernetes",
      region: "on-prem-fra",
      name: "onprem",
      kubeconfig: KUBECONFIG,
      gpuPools: [{ name: "a100", gpu: "A100-80GB", gpusPerNode: 8, nodes: 2, nodeHourlyUsd: 12.5 }],
    };
    const plansOf = (raw: unknown) => validatePlatformConfig(parsePlatformConfig(raw), facts, defaultCatalog());

    it("two AWS regions: names default to <cloud>-<region>, resource bases stay unique, the first keeps its names", () => {
      const plans = plansOf(edited((r) => r.clouds.push(structuredClone(euWest) as (typeof r.clouds)[number])));
      const aws = plans.filter((p) => p.kind === "managed" && p.config.cloud === "aws");
      assert.deepEqual(
        aws.map((p) => p.name),
        ["aws-us-east-1", "aws-eu-west-1"],
      );
      const [east, west] = aws;
      assert.equal(east?.resourceBase, "modelplane-aws", "a running single-region platform keeps its cluster");
      assert.match(west?.resourceBase ?? "", /^modelplane-aws-[0-9a-f]{4}$/);
      assert.equal(new Set(plans.map((p) => p.resourceBase)).size, plans.length);
    });

    it("a second entry of the same cloud and region is an error naming it", () => {
      failsAt(
        edited((r) => {
          r.clouds.push(structuredClone(euWest) as (typeof r.clouds)[number]);
          r.clouds.push({ ...structuredClone(euWest), name: "again" } as (typeof r.clouds)[number]);
        }),
        "modelplane:clouds[4]",
        "aws eu-west-1 is already configured in clouds[3]",
      );
    });

    it("two entries with one name are an error naming the second's name", () => {
      failsAt(
        edited((r) =>
          r.clouds.push({ ...structuredClone(euWest), name: "gcp-us-central1" } as (typeof r.clouds)[number]),
        ),
        "modelplane:clouds[3].name",
        "already the name of clouds[1]",
      );
    });

    it("a prefix too long for a second cluster's derived names is refused naming modelplane:name", () => {
      failsAt(
        edited((r) => {
          r["name"] = "a-very-long-prefix-x";
          r.clouds.push({
            ...structuredClone(euWest),
            cloud: "gcp",
            region: "europe-west4",
            gpuPools: [],
          } as (typeof r.clouds)[number]);
        }),
        "modelplane:name",
        "GKE node pools: 40",
      );
    });

    it("an existing cluster parses with declared pools; a bad pool names the key without quoting the kubeconfig", () => {
      const plans = plansOf(edited((r) => r.clouds.push(structuredClone(onprem) as (typeof r.clouds)[number])));
      const existing = plans.find((p) => p.kind === "existing");
      assert.ok(existing && existing.kind === "existing");
      assert.equal(existing.name, "onprem");
      assert.equal(existing.config.gpuPools[0]?.capacity, "on-demand", "default capacity");
      assert.equal(existing.config.nvidiaDevicePlugin, true);
      const bad = edited((r) =>
        r.clouds.push({
          ...structuredClone(onprem),
          gpuPools: [{ name: "a100", gpu: "A200", gpusPerNode: 8, nodes: 2 }],
        } as (typeof r.clouds)[number]),
      );
      assert.throws(
        () => plansOf(bad),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.field === "modelplane:clouds[3].gpuPools[0].gpu" &&
          !JSON.stringify({ m: e.message, i: e.issues }).includes("s3cr3t-token-42"),
      );
      const noKubeconfig = edited((r) => {
        const { kubeconfig: _k, ...rest } = structuredClone(onprem);
        void _k;
        r.clouds.push(rest as (typeof r.clouds)[number]);
      });
      failsAt(noKubeconfig, "modelplane:clouds[3].kubeconfig", "secret");
      const notText = edited((r) =>
        r.clouds.push({ ...structuredClone(onprem), kubeconfig: 42 } as (typeof r.clouds)[number]),
      );
      assert.throws(
        () => plansOf(notText),
        (e: unknown) =>
          e instanceof ValidationError && e.field === "modelplane:clouds[3].kubeconfig" && !e.message.includes("42"),
      );
    });

    it("the stack file's encrypted { secure } form of a kubeconfig is accepted (the engine decrypts it)", () => {
      const plans = plansOf(
        edited((r) =>
          r.clouds.push({ ...structuredClone(onprem), kubeconfig: { secure: "v1:abc" } } as (typeof r.clouds)[number]),
        ),
      );
      assert.equal(plans.filter((p) => p.kind === "existing").length, 1);
    });

    it("an unknown key on an existing cluster lists that entry's allowed keys", () => {
      failsAt(
        edited((r) => r.clouds.push({ ...structuredClone(onprem), zone: "a" } as (typeof r.clouds)[number])),
        "modelplane:clouds[3].zone",
        "allowed keys: cloud, region, name, kubeconfig, gpuPools, nvidiaDevicePlugin",
      );
    });
  });
});
