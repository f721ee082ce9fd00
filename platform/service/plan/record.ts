/**
 * Run a Pulumi program under recording mocks and return every resource it registers with its
 * inputs. `setMocks` is process-global, so this runs ONLY inside the plan worker (./worker.ts),
 * one program at a time. Mocked outputs echo the inputs plus the few computed values the
 * components read (ids, names, endpoints, certificates), so every `apply` runs and every child
 * resource is registered, as in a real `pulumi preview` with known values.
 */
import * as pulumi from "@pulumi/pulumi";
import { isRecord } from "../../core/resources/read";

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
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

/** Inputs as plain JSON (resource references and other class instances become strings). */
export function toPlain(value: unknown, depth = 0): unknown {
  if (depth > 40) return "[too deep]";
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v) => toPlain(v, depth + 1));
  if (isRecord(value)) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      return `[${(value.constructor as { name?: string } | undefined)?.name ?? "object"}]`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = toPlain(v, depth + 1);
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

/** Run `program` as a stack under recording mocks; resolves once every registration has settled. */
export async function recordProgram(
  program: () => Promise<unknown> | unknown,
  options: RecordOptions,
): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  const providerRegions = new Map<string, string>();
  let counter = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        counter += 1;
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
        const plain = toPlain(inputs);
        const record: RecordedResource = {
          type: args.type,
          name: args.name,
          inputs: isRecord(plain) ? plain : {},
          id,
          custom: args.custom !== false,
        };
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
  pulumi.runtime.setAllConfig(options.config ?? {});

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
  return recorded;
}
