/**
 * ModelStore: model-artifact storage that is private, encrypted, versioned and tiered by age, plus
 * a read-only identity a model server runs as. The cloud specifics live in `providers/<cloud>/store.ts`.
 *
 *   const store = new ModelStore("models", { cloud: "gcp", region: "us-central1", tags });
 *   store.uri            // gs://mp-models-1a2b3c4d/models
 *   store.access.clientId // service-account email for the workload-identity annotation
 */
import * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { providerFor } from "../providers/registry";
import type { StoreAccess, StorePlan, StoreProvider, TieringPlan } from "../providers/types/store";
import { assertCloud } from "./clusterPlan";
import { costTags, type CostTagInput } from "../platform/core/tags";

/** Lifecycle tiering by object age. Every field is a whole number of days, ≥ 0. */
export interface ModelStoreTieringArgs {
  /**
   * Days after creation before objects move to the cool tier: AWS `INTELLIGENT_TIERING`, GCP
   * `NEARLINE`, Azure `Cool`. Default 30. Must be less than `coldAfterDays`.
   */
  coolAfterDays?: number;
  /**
   * Days after creation before objects move to the cold tier: AWS `GLACIER_IR`, GCP `COLDLINE`,
   * Azure `Cold`. Default 180. `null` = never. Must be greater than `coolAfterDays`.
   */
  coldAfterDays?: number | null;
  /** Days a replaced or deleted version is kept before it is deleted. Default 30. */
  noncurrentVersionExpirationDays?: number;
  /**
   * Days before an unfinished multipart upload is aborted (AWS, GCP; Azure discards uncommitted
   * blocks after 7 days on its own). Default 7. Must be ≥ 1.
   */
  abortIncompleteUploadDays?: number;
}

/**
 * Arguments of a ModelStore. Fields that decide names or which resources exist are plain values
 * (validated when the component is constructed); the rest accept `pulumi.Input`. The cost-tag
 * arguments (`model`, `owner`, `costCenter`, `tags`) are `CostTagInput`'s.
 */
export interface ModelStoreArgs extends CostTagInput {
  /** Cloud to create the store on: `aws`, `gcp` or `azure`. Required. */
  cloud: Cloud;
  /** Region / location code (`us-east-1`, `us-central1`, `eastus`). Required. */
  region: string;
  /**
   * Free text the storage name is derived from (a model or platform name; any case, any
   * characters). Default: the component name. Ignored when `storageName` is set.
   */
  storeName?: string;
  /**
   * Mixed into the name hash so equal `storeName`s in different organizations/projects/stacks get
   * different (globally unique) names. Default: `<organization>/<project>/<stack>`.
   */
  namespace?: string;
  /**
   * Exact bucket (AWS, GCP) or storage-account (Azure) name. Default: derived from `storeName` and
   * `namespace` as `mp-<slug>-<hash8>` (Azure: `mp<slug><hash8>`). Must obey the cloud's rules.
   */
  storageName?: string;
  /**
   * Prefix (AWS, GCP) or blob container (Azure) holding the artifacts: 3–63 lowercase letters,
   * digits and single hyphens. Default `models`.
   */
  container?: string;
  /** Lifecycle tiering; see each field for defaults. */
  tiering?: ModelStoreTieringArgs;
  /** Delete the store even when it holds objects on `pulumi destroy`. Default false. */
  forceDestroy?: boolean;
  /** GCP only: project id. Default: the provider's project. Ignored elsewhere. */
  project?: string;
  /** Azure only: existing resource group. Default: the store creates `${name}-rg`. Ignored elsewhere. */
  resourceGroupName?: pulumi.Input<string>;
}

export const TIERING_DEFAULTS: TieringPlan = {
  coolAfterDays: 30,
  coldAfterDays: 180,
  noncurrentVersionExpirationDays: 30,
  abortIncompleteUploadDays: 7,
};

const CONTAINER_RE = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

function days(field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ValidationError(field, `${JSON.stringify(value)} is not a whole number of days ≥ ${min}`);
  }
  return value;
}

/** Validate and default the tiering arguments. Pure. */
export function planTiering(t: ModelStoreTieringArgs = {}): TieringPlan {
  const cool = days("tiering.coolAfterDays", t.coolAfterDays ?? TIERING_DEFAULTS.coolAfterDays, 0);
  const coldRaw = t.coldAfterDays === undefined ? TIERING_DEFAULTS.coldAfterDays : t.coldAfterDays;
  const cold = coldRaw === null ? null : days("tiering.coldAfterDays", coldRaw, 0);
  if (cold !== null && cold <= cool) {
    throw new ValidationError(
      "tiering.coldAfterDays",
      `${cold} must be greater than tiering.coolAfterDays (${cool}); raise it or set it to null to disable the cold tier`,
    );
  }
  return {
    coolAfterDays: cool,
    coldAfterDays: cold,
    noncurrentVersionExpirationDays: days(
      "tiering.noncurrentVersionExpirationDays",
      t.noncurrentVersionExpirationDays ?? TIERING_DEFAULTS.noncurrentVersionExpirationDays,
      1,
    ),
    abortIncompleteUploadDays: days(
      "tiering.abortIncompleteUploadDays",
      t.abortIncompleteUploadDays ?? TIERING_DEFAULTS.abortIncompleteUploadDays,
      1,
    ),
  };
}

/**
 * Validate the arguments and resolve every default into a StorePlan. Pure: `naming` is the cloud's
 * naming rules, `defaultNamespace` the org/project/stack string.
 */
export function planModelStore(
  name: string,
  args: ModelStoreArgs,
  naming: Pick<StoreProvider, "storageName" | "checkStorageName">,
  defaultNamespace: string,
): StorePlan {
  assertCloud(args.cloud);
  if (typeof args.region !== "string" || args.region.trim() === "") {
    throw new ValidationError("region", "is required (e.g. us-east-1, us-central1, eastus)");
  }
  const seed = args.storeName ?? name;
  if (seed.trim() === "") throw new ValidationError("storeName", "must not be empty");
  let storageName: string;
  if (args.storageName !== undefined) {
    const reason = naming.checkStorageName(args.storageName);
    if (reason)
      throw new ValidationError("storageName", `"${args.storageName}" is not valid on ${args.cloud}: ${reason}`);
    storageName = args.storageName;
  } else {
    storageName = naming.storageName(seed, `${args.namespace ?? defaultNamespace}/${seed}`);
  }
  const container = args.container ?? "models";
  if (!CONTAINER_RE.test(container)) {
    throw new ValidationError(
      "container",
      `"${container}" must be 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit`,
    );
  }
  const plan: StorePlan = {
    name,
    region: args.region,
    storageName,
    container,
    tiering: planTiering(args.tiering),
    forceDestroy: args.forceDestroy ?? false,
    tags: costTags(args),
  };
  if (args.project !== undefined) plan.project = args.project;
  if (args.resourceGroupName !== undefined) plan.resourceGroupName = args.resourceGroupName;
  return plan;
}

/** `<organization>/<project>/<stack>` of the running program (organization empty when the engine has none). */
export function defaultNamespace(): string {
  let organization = "";
  try {
    organization = pulumi.getOrganization();
  } catch {
    // Older engines and some test mocks have no organization; project/stack still separate stacks.
  }
  return `${organization}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

export class ModelStore extends pulumi.ComponentResource {
  /** A URI the model server can read: `s3://…`, `gs://…`, `https://<acct>.blob.core.windows.net/<container>`. */
  readonly uri: pulumi.Output<string>;
  /** The bucket or storage-account name. */
  readonly storageName: pulumi.Output<string>;
  /** The read-only identity for workloads (see `StoreAccess` for each cloud's meaning). */
  readonly access: StoreAccess;
  /** The resolved plan (names, tiering days), for reports and tests. */
  readonly plan: StorePlan;

  constructor(name: string, args: ModelStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:storage:ModelStore", name, {}, opts);
    const cloud = assertCloud(args.cloud);
    const provider = providerFor(cloud).store;
    this.plan = planModelStore(name, args, provider, defaultNamespace());
    const result = provider.create(this.plan, this);
    this.uri = result.uri;
    this.storageName = result.storageName;
    this.access = result.access;
    this.registerOutputs({
      uri: this.uri,
      storageName: this.storageName,
      access: { identity: this.access.identity, clientId: this.access.clientId, grant: this.access.grant },
    });
  }
}
