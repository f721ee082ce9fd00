/**
 * What a cloud (or Kubernetes) tells the offline plan's checks about its resource types, as data
 * and small readers over recorded inputs, so the checks in platform/service/plan/checks stay
 * cloud-neutral: which input holds a name and which limit applies, which add-ons a managed
 * cluster installs by itself, where a serverless GPU is asked for, and how big a node's disk is.
 */
import type { Cloud } from "../../platform/core/types";
import type { ResourceInput } from "../../platform/core/resources/types";
import type { NameKind } from "../limits/names";
import type { z } from "zod";
import type { AddonName, KindRef } from "../limits/addons";
import type { ServerlessCloud } from "../limits/serverless-regions";
import type { SerialWriteKind } from "../limits/serial-writes";

/** Any Kubernetes object type (`kubernetes:<group>/<version>:<Kind>`, not Helm or YAML wrappers). */
export const ANY_KUBERNETES_OBJECT = "kubernetes:*";

/** One name to check: the input at `field` of every resource of `type` against `kind`'s limit. */
export interface NameCheck {
  /** Pulumi type token, or ANY_KUBERNETES_OBJECT. */
  readonly type: string;
  /**
   * Dotted path of the name in the inputs; `[]` walks every array item and `*` every map value
   * (e.g. `agentPoolProfiles[].name`, `metadata.labels.*`).
   */
  readonly field: string;
  /** The limit (a row of providers/limits/names.ts). */
  readonly kind: NameKind;
  /**
   * When the input is absent, the provider names the resource itself: `pulumi-suffix` is the
   * logical name plus `-` and a random hex suffix (checked with 8 characters, the longer form
   * seen). Absent and no auto-name rule: the name is not checked, and the plan says so.
   */
  readonly autoName?: "pulumi-suffix";
  /** Only check when this input path is absent or has this value (e.g. Linux pools only). */
  readonly when?: { readonly field: string; readonly equals: string };
}

/**
 * Resources of `type` under one parent must be written one at a time (a row of
 * providers/limits/serial-writes.ts): the plan requires each to depend on the one before.
 */
export interface SerialWriteCheck {
  readonly type: string;
  readonly kind: SerialWriteKind;
  /** Input paths that together name the parent (e.g. the identity's resource group and name). */
  readonly parentFields: readonly string[];
  /** Input path of the written object's own name: two resources with one name under one parent write one object. */
  readonly nameField?: string;
}

/** A serverless GPU a resource asks for: the checks look the region up in the region table. */
export interface ServerlessGpuUse {
  readonly cloud: ServerlessCloud;
  readonly region: string;
  /** GPU id or alias as the region table knows it (e.g. `nvidia-l4`, `Consumption-GPU-NC8as-T4`). */
  readonly gpu: string;
  /** Input path that asks for it, for the message. */
  readonly field: string;
}

/** An add-on the cloud itself runs on a cluster (no Helm release of the platform's), and where it says so. */
export interface ManagedAddon {
  readonly addon: AddonName;
  /** Who runs it, e.g. `GKE`. */
  readonly by: string;
  /** The cloud's documentation of it (title, address, date read). */
  readonly source: string;
}

/** A problem in one resource's inputs that the cloud would refuse or that leaves its GPUs unusable. */
export interface InputFinding {
  /** Input path (`nodeConfig.guestAccelerators[0].gpuDriverInstallationConfig.gpuDriverVersion`). */
  readonly field: string;
  /** What is wrong and the fix, without the resource (the check prefixes it). */
  readonly message: string;
  readonly source: string;
}

/**
 * The schema of a custom resource no `@kubernetes-models/*` package the project uses ships,
 * written as data from the CRD (the fields modelplane sets), with its source and date.
 */
export interface CrdSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object's schema; issues name the field by path. */
  readonly schema: z.ZodType;
  readonly source: string;
}

/**
 * The inputs that together identify the cloud object a resource writes, for a type that has no
 * name of its own (a binding): two resources with the same values write one object, and deleting
 * either removes it for both. Named types are identified by their name checks' fields.
 */
export interface ObjectIdentity {
  readonly type: string;
  /** Input paths; all must be known strings for the resource to be compared. */
  readonly fields: readonly string[];
  /** Why these fields identify the object (the cloud's documentation, date read). */
  readonly source: string;
}

/** What one cloud (or Kubernetes) contributes to the plan checks. */
export interface PlanCheckModule {
  readonly platform: Cloud | "kubernetes";
  /** Name limits of this platform's resource types. */
  readonly nameChecks: readonly NameCheck[];
  /** Unnamed types (bindings) and the inputs that identify the object each writes. */
  readonly objectIdentities?: readonly ObjectIdentity[];
  /** Kinds whose writes under one parent the cloud refuses to run concurrently. */
  readonly serialWrites?: readonly SerialWriteCheck[];
  /** Add-ons a resource installs on its cluster (a Helm release of a pinned chart, a managed KEDA). */
  installedAddons?(resource: ResourceInput): readonly AddonName[];
  /** Add-ons a managed cluster runs by itself (GKE: the NVIDIA device plugin), shown as such in the plan. */
  managedAddons?(resource: ResourceInput): readonly ManagedAddon[];
  /** Custom kinds a managed cluster serves by itself (GKE: `cloud.google.com/v1` ComputeClass). */
  managedKinds?(resource: ResourceInput): readonly KindRef[];
  /** GPU settings of a resource without which its GPUs are unusable (GKE: a GPU pool with no driver). */
  gpuInputChecks?(resource: ResourceInput): readonly InputFinding[];
  /** Schemas of the custom resources this platform's stacks register (for the schema check). */
  readonly crdSchemas?: readonly CrdSchema[];
  /** Serverless GPUs a resource asks for, with the region it asks in. */
  serverlessGpus?(resource: ResourceInput): readonly ServerlessGpuUse[];
  /**
   * Disk size of a node pool's nodes, GiB, when this platform's pool type says it (`stack` holds
   * the siblings, e.g. a launch template the pool references by id). Undefined: not a pool of
   * this platform, or the size is not in the inputs.
   */
  nodeDiskGiB?(resource: ResourceInput, stack: readonly ResourceInput[]): { gib: number; field: string } | undefined;
}
