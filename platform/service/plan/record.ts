/**
 * Run a Pulumi program under recording mocks and return every resource it registers with its
 * inputs. `setMocks` is process-global, so this runs ONLY inside the plan worker (./worker.ts),
 * one program at a time. Mocked outputs echo the inputs plus the few computed values the
 * components read (ids, names, endpoints, certificates), so every `apply` runs and every child
 * resource is registered, as in a real `pulumi preview` with known values.
 *
 * What the recording shows of values the engine would not know or show:
 * - a secret input is `"[secret]"` in `inputs` (as `pulumi preview --json` masks it); its value is
 *   kept apart in `secrets` (never printed) so the schema check can validate the real value;
 * - an output the mocks cannot compute resolves to `undefined` (the mocks run as an update, not a
 *   preview), so the field is absent; the sentinel of an unknown output, if one ever reaches the
 *   inputs, is `"[unknown]"`;
 * - a resource reference or asset is `"[ClassName]"`.
 */
import * as pulumi from "@pulumi/pulumi";
import { isRecord } from "../../core/resources/read";

export interface RecordedResource {
  type: string;
  name: string;
  /** The URN the engine would give it (`urn:pulumi:<stack>::<project>::<parent types$type>::<name>`). */
  urn: string;
  /** Inputs as plain JSON; secrets are `"[secret]"`. */
  inputs: Record<string, unknown>;
  /** URN of its parent (component or stack); absent for the stack itself. */
  parent?: string;
  /** URNs it depends on: explicit `dependsOn` and every resource an input was derived from. */
  dependsOn: string[];
  /** Its explicit provider (`<provider urn>::<provider id>`), when it has one. */
  provider?: string;
  /** Secret inputs: the path in `inputs` that shows `"[secret]"` and the plain value (never printed). */
  secrets?: Array<{ path: Array<string | number>; value: unknown }>;
  /** The id the mocks gave it (links resources that reference each other by id). */
  id: string;
  /** False for component resources. */
  custom: boolean;
  /** Region of its explicit provider, when it has one that names a region/location. */
  providerRegion?: string;
}

export interface RecordOptions {
  project: string;
  stack: string;
  /** Outputs every `pulumi:pulumi:StackReference` returns. */
  stackReferenceOutputs?: Record<string, unknown>;
  /** Stack config (`"project:key": "value"`). */
  config?: Record<string, string>;
}

/** The recorded resources of a stack and its outputs (secrets shown as `"[secret]"`). */
export interface Recording {
  resources: RecordedResource[];
  outputs: Record<string, unknown>;
}

/** What `pulumi preview --json` prints in place of a secret value. */
export const SECRET = "[secret]";
/** What the recording shows for a value only known after deployment. */
export const UNKNOWN = "[unknown]";

const SIG = pulumi.runtime.specialSigKey;
const isSecret = (value: Record<string, unknown>): boolean => value[SIG] === pulumi.runtime.specialSecretSig;

/** A path as a linked list (built per step in O(1); turned into an array only for a secret). */
interface PathNode {
  key: string | number;
  up: PathNode | undefined;
}
function pathOf(node: PathNode | undefined): Array<string | number> {
  const out: Array<string | number> = [];
  for (let n = node; n; n = n.up) out.unshift(n.key);
  return out;
}

/**
 * Inputs as plain JSON (resource references and other class instances become strings). Secrets
 * become `"[secret]"`; pass `secrets` to collect their paths and plain values.
 */
export function toPlain(
  value: unknown,
  depth = 0,
  secrets?: Array<{ path: Array<string | number>; value: unknown }>,
  path?: PathNode,
): unknown {
  if (depth > 40) return "[too deep]";
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v, i) => toPlain(v, depth + 1, secrets, { key: i, up: path }));
  if (isRecord(value)) {
    if (isSecret(value)) {
      secrets?.push({ path: pathOf(path), value: toPlain(value["value"], depth + 1) });
      return SECRET;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const cls = (value.constructor as { name?: string } | undefined)?.name ?? "object";
      return cls === "Unknown" ? UNKNOWN : `[${cls}]`;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = toPlain(v, depth + 1, secrets, { key: k, up: path });
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  return String(value);
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Values a cloud computes that components read (merged over the echoed inputs). */
function computed(type: string, name: string, inputs: Record<string, unknown>, id: string): Record<string, unknown> {
  const physical =
    str(inputs["name"]) ??
    str(inputs["bucket"]) ??
    str(inputs["accountName"]) ??
    str(inputs["resourceName"]) ??
    `${name}-p1an`;
  const out: Record<string, unknown> = {
    id,
    name: physical,
    arn: `arn:plan:${type}:${physical}`,
    urn: `urn:plan:${type}::${name}`,
  };
  if (type.endsWith(":Bucket") || type.endsWith(":BucketV2")) out["bucket"] = str(inputs["bucket"]) ?? physical;
  if (type.includes("eks/cluster")) {
    Object.assign(out, {
      endpoint: `https://${physical}.eks.plan`,
      certificateAuthority: { data: "Q0E=" },
      version: inputs["version"] ?? "1.33",
    });
  }
  if (type.includes("container/cluster"))
    Object.assign(out, { endpoint: "10.0.0.1", masterAuth: { clusterCaCertificate: "Q0E=" } });
  if (type.includes("ManagedCluster")) out["fqdn"] = `${physical}.hcp.plan`;
  if (type.includes("cloudrunv2/service")) out["uri"] = `https://${physical}.run.plan`;
  if (type.includes("ContainerApp")) out["latestRevisionFqdn"] = `${physical}.plan`;
  if (type.includes("nodeGroup:NodeGroup")) out["nodeGroupName"] = str(inputs["nodeGroupName"]) ?? physical;
  if (type.includes("ManagedEnvironment")) out["defaultDomain"] = `${physical}.plan`;
  if (type.includes("launchTemplate:LaunchTemplate")) out["latestVersion"] = 1;
  return out;
}

/** Invoke results the components use; anything else echoes its inputs. */
function callResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (token.includes("getVpc")) return { id: "vpc-plan" };
  if (token.includes("getSubnets")) return { ids: ["subnet-plan-a", "subnet-plan-b"] };
  if (token.includes("getProject")) return { projectId: "plan-project", name: "plan-project", number: "1" };
  if (token.includes("getCallerIdentity"))
    return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/plan", userId: "plan" };
  if (token.includes("getClientConfig"))
    return {
      subscriptionId: "00000000-0000-0000-0000-000000000000",
      tenantId: "00000000-0000-0000-0000-000000000000",
      clientId: "plan",
      objectId: "plan",
    };
  if (token.includes("listManagedClusterUserCredentials")) {
    return {
      kubeconfigs: [
        { name: "clusterUser", value: Buffer.from("apiVersion: v1\nkind: Config\nclusters: []\n").toString("base64") },
      ],
    };
  }
  return inputs;
}

type RuntimeWithRpcs = { waitForRPCs?: () => Promise<void> };

/** The parts of a RegisterResourceRequest the recording reads (the mock monitor gets the request). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface MockMonitorShape {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: unknown): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, callback: unknown): void;
}

/**
 * Wrap the mock monitor so each registration carries what the mocks' `newResource` does not see:
 * the URN, the parent and the dependencies. `registerResource` calls `newResource` synchronously
 * before its first `await`, so the request in hand is the one being recorded. The stack's outputs
 * are taken from its `registerResourceOutputs`.
 */
function wrapMonitor(
  onStackOutputs: (outputs: Record<string, unknown>) => void,
): () => { urn: string; parent: string; dependsOn: string[] } | undefined {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorShape;
  let current: { urn: string; parent: string; dependsOn: string[] } | undefined;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    current = {
      urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
      parent: req.getParent(),
      dependsOn: [...new Set(req.getDependenciesList())],
    };
    try {
      return register(req, callback);
    } finally {
      current = undefined;
    }
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    if (req.getUrn().includes("::pulumi:pulumi:Stack::")) {
      const raw = req.getOutputs()?.toJavaScript() ?? {};
      const props: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) props[k] = pulumi.runtime.deserializeProperty(v);
      onStackOutputs(props);
    }
    registerOutputs(req, callback);
  };
  return () => current;
}

/** Run `program` as a stack under recording mocks; resolves once every registration has settled. */
export async function recordProgram(
  program: () => Promise<unknown> | unknown,
  options: RecordOptions,
): Promise<Recording> {
  const recorded: RecordedResource[] = [];
  const providerRegions = new Map<string, string>();
  let counter = 0;
  let outputs: Record<string, unknown> = {};
  let request: () => { urn: string; parent: string; dependsOn: string[] } | undefined = () => undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        counter += 1;
        const req = request();
        const inputs = isRecord(args.inputs) ? args.inputs : {};
        if (args.type === "pulumi:pulumi:StackReference") {
          return {
            id: str(inputs["name"]) ?? args.name,
            state: { outputs: options.stackReferenceOutputs ?? {}, secretOutputNames: [] },
          };
        }
        const id = `${args.name}-${counter}`;
        if (args.type.startsWith("pulumi:providers:")) {
          const region = str(inputs["region"]) ?? str(inputs["location"]);
          if (region) providerRegions.set(id, region);
        }
        const secrets: NonNullable<RecordedResource["secrets"]> = [];
        const plain = toPlain(inputs, 0, secrets);
        const record: RecordedResource = {
          type: args.type,
          name: args.name,
          urn: req?.urn ?? `urn:pulumi:${options.stack}::${options.project}::${args.type}::${args.name}`,
          inputs: isRecord(plain) ? plain : {},
          dependsOn: req?.dependsOn ?? [],
          id,
          custom: args.custom !== false,
        };
        if (req?.parent) record.parent = req.parent;
        if (args.provider) record.provider = args.provider;
        if (secrets.length > 0) record.secrets = secrets;
        const providerId = args.provider?.split("::").pop();
        const region = providerId ? providerRegions.get(providerId) : undefined;
        if (region) record.providerRegion = region;
        recorded.push(record);
        return { id, state: { ...inputs, ...computed(args.type, args.name, inputs, id) } };
      },
      call: (args) => callResult(args.token, isRecord(args.inputs) ? args.inputs : {}),
    },
    options.project,
    options.stack,
    false,
  );
  request = wrapMonitor((o) => {
    const plain = toPlain(o);
    outputs = isRecord(plain) ? plain : {};
  });
  pulumi.runtime.setAllConfig(options.config ?? {});

  // A program that fails inside an `apply` (a missing platform output, a bad value) fails its
  // `pulumi up`; under mocks that error surfaces only as an unhandled rejection, and the resources
  // waiting on the failed output never finish registering. Fail the plan with it instead of waiting.
  let failWith: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    failWith = reject;
  });
  const onRejection = (reason: unknown): void => failWith(reason);
  process.on("unhandledRejection", onRejection);
  try {
    await Promise.race([
      (async () => {
        await pulumi.runtime.runInPulumiStack(async () => {
          const result = await program();
          return isRecord(result) ? result : undefined;
        });
        // Registrations issued inside `apply` callbacks finish after the stack's outputs resolve.
        const runtime = pulumi.runtime as unknown as RuntimeWithRpcs;
        let last = -1;
        while (last !== recorded.length) {
          last = recorded.length;
          if (runtime.waitForRPCs) await runtime.waitForRPCs();
          await new Promise((resolve) => setImmediate(resolve));
        }
      })(),
      failed,
    ]);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  return { resources: recorded, outputs };
}
