/**
 * Hygiene rules: `cost-tags-required` (cost-allocation tags on every taggable resource),
 * `storage-lifecycle-required` (model stores tier or expire old versions), and the advisory
 * `scale-to-zero-outside-production`.
 */
import { z } from "zod";
import { productionEnvironments, subject, type ResourceRule, type StackRule, type StackViolation } from "./rule";

const tagsConfig = z.object({
  requiredTags: z
    .array(z.string().min(1))
    .default(["model", "owner", "cost-center"])
    .describe("Tag/label keys every taggable resource must carry with a non-empty value"),
  deploymentTag: z
    .string()
    .min(1)
    .default("modelplane/deployment-id")
    .describe("Tag that marks a resource as part of one model deployment"),
  sharedExemptTags: z
    .array(z.string().min(1))
    .default(["model"])
    .describe(
      "Required tags not required on shared platform resources (those without deploymentTag): a shared cluster serves no single model",
    ),
  exemptTypes: z
    .array(z.string().min(1))
    .default(["kubernetes:core/v1:Namespace"])
    .describe("Types not checked: tenant namespaces are shared by every model of a tenant and cost nothing"),
});

/** Tag keys as clouds store them: GCP labels and Azure tags fold `/` and other characters to `_`. */
const normalize = (key: string): string => key.toLowerCase().replace(/[^a-z0-9-]/g, "_");

export const costTagsRule: ResourceRule<typeof tagsConfig> = {
  kind: "resource",
  name: "cost-tags-required",
  description:
    "Every taggable resource (AWS tags, GCP labels, Azure tags, Kubernetes labels) carries the cost-allocation tags.",
  enforcementLevel: "mandatory",
  config: tagsConfig,
  check(record, config, ctx) {
    if (config.exemptTypes.includes(record.type)) return [];
    const tags = ctx.factsOf(record).tags;
    if (!tags) return [];
    const present = new Map(Object.entries(tags.values).map(([k, v]) => [normalize(k), v]));
    const perModel = present.has(normalize(config.deploymentTag));
    const required = perModel
      ? config.requiredTags
      : config.requiredTags.filter((t) => !config.sharedExemptTags.includes(t));
    const missing = required.filter((key) => !present.get(normalize(key)));
    if (missing.length === 0) return [];
    return [
      `${subject(record)} is missing cost tag(s) ${missing.join(", ")} in ${tags.path}; set ${missing.map((m) => `${m}: <value>`).join(", ")}`,
    ];
  },
};

const lifecycleConfig = z.object({});

export const storageLifecycleRule: StackRule<typeof lifecycleConfig> = {
  kind: "stack",
  name: "storage-lifecycle-required",
  description:
    "Model stores must tier or expire old versions: a lifecycle rule on the bucket, or a lifecycle/management policy resource for it.",
  enforcementLevel: "mandatory",
  config: lifecycleConfig,
  check(records, _config, ctx) {
    const lifecycles = records.flatMap((r) => {
      const l = ctx.factsOf(r).lifecycle;
      return l && l.effective ? [l.refs] : [];
    });
    const out: StackViolation[] = [];
    for (const record of records) {
      const store = ctx.factsOf(record).store;
      if (!store || store.inlineLifecycle) continue;
      if (lifecycles.some((refs) => refs.some((ref) => store.keys.includes(ref)))) continue;
      out.push({
        resource: record,
        message:
          `${subject(record)} has no lifecycle rule that tiers or expires old versions; add one ` +
          `(S3 BucketLifecycleConfiguration, GCS lifecycleRules or autoclass, Azure storage ManagementPolicy) referencing this store`,
      });
    }
    return out;
  },
};

const scaleConfig = z.object({
  productionEnvironments: productionEnvironments("Environments where warm GPU capacity is fine"),
});

export const scaleToZeroRule: ResourceRule<typeof scaleConfig> = {
  kind: "resource",
  name: "scale-to-zero-outside-production",
  description: "Outside production, GPU pools, serverless endpoints and GPU workloads should scale to zero when idle.",
  enforcementLevel: "advisory",
  config: scaleConfig,
  check(record, config, ctx) {
    if (config.productionEnvironments.includes(ctx.environment)) return [];
    const facts = ctx.factsOf(record);
    if (!facts.minScale || facts.minScale.value <= 0) return [];
    // Only resources whose resting scale costs GPU money: GPU pools, serverless GPU endpoints, GPU workloads.
    const gpuBearing =
      facts.cost.kind === "serverless" || facts.cost.kind === "gpu-workload" || ctx.gpuOf(record) !== undefined;
    if (!gpuBearing) return [];
    return [
      `${subject(record)} keeps ${facts.minScale.value} GPU replica(s)/node(s) at rest (${facts.minScale.path}) in ${ctx.environment}; allow scale-to-zero (minimum 0) to stop paying while idle`,
    ];
  },
};
