/**
 * Test support (not a test file), the one set of Pulumi mocks every component and program test
 * uses: they capture every registered resource with its inputs and provider, and return realistic
 * outputs for the resource types and invokes the compute components use; a test file passes its
 * own computed outputs, invoke answers and project/stack in `MockOptions`. Each test file calls
 * `installMocks()` in its own `before()`.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The provider reference (`urn::id`) the resource was registered with, when it had one. */
  provider?: string;
}

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A kubeconfig AKS would return (base64 in the invoke result). */
export const AKS_KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

/** Outputs the cloud computes, per resource type (merged over the inputs). */
export function computedState(type: string, name: string, inputs: Obj): Obj {
  switch (type) {
    case "aws:iam/role:Role":
      return { name: `${name}-0a1b2c`, arn: `arn:aws:iam::123456789012:role/${name}-0a1b2c` };
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::123456789012:policy/${typeof inputs["name"] === "string" ? inputs["name"] : name}` };
    case "aws:eks/cluster:Cluster":
      return {
        name: `${name}-0a1b2c`,
        endpoint: `https://${name}.gr7.us-east-1.eks.amazonaws.com`,
        certificateAuthority: { data: "Q0EtREFUQQ==" },
        version: inputs["version"] ?? "1.33",
        arn: `arn:aws:eks:us-east-1:123456789012:cluster/${name}-0a1b2c`,
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "gcp:container/cluster:Cluster":
      return { name: `${name}-0a1b2c`, endpoint: "34.1.2.3", masterAuth: { clusterCaCertificate: "Q0EtREFUQQ==" } };
    case "azure-native:resources:ResourceGroup":
      return { name: `${name}0a1b2c` };
    case "azure-native:containerservice:ManagedCluster":
      return { name: `${name}0a1b2c`, fqdn: `${name}-dns.hcp.eastus.azmk8s.io` };
    default:
      return {};
  }
}

/** The `filters` of the last `aws.ec2.getSubnets` invoke. */
export const lastSubnetFilters: unknown[] = [];

/** What a test file may change about the mocks; every field is optional. */
export interface MockOptions {
  /** Project name the program sees (`pulumi.getProject()`). Default `modelplane`. */
  project?: string;
  /** Stack name the program sees (`pulumi.getStack()`). Default `test`. */
  stack?: string;
  /**
   * Outputs the cloud computes for a resource, merged over its inputs. A string `id` in the result
   * becomes the resource's id (default `${name}-id`). Default: those of the compute components'
   * types (EKS, GKE, AKS, IAM roles, launch templates).
   */
  state?: (type: string, name: string, inputs: Obj) => Obj;
  /** Answers to invokes, tried first; `undefined` falls through to the built-in answers. */
  call?: (token: string, inputs: Obj) => Obj | undefined;
}

/** The built-in invoke answers (anything else echoes its inputs). */
function builtInCall(token: string, inputs: Obj): Obj {
  switch (token) {
    case "aws:ec2/getVpc:getVpc":
      return { id: "vpc-0default" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["us-east-1a", "us-east-1b", "us-east-1c"], zoneIds: ["use1-az1", "use1-az2", "use1-az4"] };
    case "aws:ec2/getSubnets:getSubnets": {
      // Echo the filter the component asked for, so tests can check it.
      lastSubnetFilters.splice(0, lastSubnetFilters.length, ...arr(inputs["filters"]));
      return { ids: ["subnet-a", "subnet-b", "subnet-c"] };
    }
    case "gcp:organizations/getProject:getProject":
      return { projectId: "mock-project", name: "mock-project", number: "123456789" };
    case "azure-native:storage:listStorageAccountKeys":
      return { keys: [{ keyName: "key1", permissions: "FULL", value: "mock-account-key" }] };
    case "azure-native:containerservice:listManagedClusterUserCredentials":
      return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(AKS_KUBECONFIG).toString("base64") }] };
    default:
      return inputs;
  }
}

/**
 * Install capturing mocks; returns the live list of registered resources (clear it per test).
 * Each resource is recorded with its type, name, inputs and (when given) its provider reference.
 */
export async function installMocks(options: MockOptions = {}): Promise<Registered[]> {
  const registered: Registered[] = [];
  const state = options.state ?? computedState;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Obj;
        registered.push({
          type: args.type,
          name: args.name,
          inputs,
          ...(args.provider ? { provider: args.provider } : {}),
        });
        const computed = state(args.type, args.name, inputs);
        const id = typeof computed["id"] === "string" ? computed["id"] : `${args.name}-id`;
        return { id, state: { ...inputs, ...computed } };
      },
      call: (args) => {
        const inputs = obj(args.inputs);
        return options.call?.(args.token, inputs) ?? builtInCall(args.token, inputs);
      },
    },
    options.project ?? "modelplane",
    options.stack ?? "test",
    false,
  );
  return registered;
}

/** Wait until no new resource has been registered for a few event-loop turns. */
export async function settle(registered: Registered[]): Promise<void> {
  let last = -1;
  while (last !== registered.length) {
    last = registered.length;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The resolved value of an Output (mocks: always known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise<T>((resolve) => {
    output.apply((v) => {
      resolve(v);
      return v;
    });
  });
}

/** Registered resources of one type, in registration order. */
export function ofType(registered: Registered[], type: string): Registered[] {
  return registered.filter((r) => r.type === type);
}

/** The one resource with this name; throws when absent. */
export function named(registered: Registered[], name: string): Registered {
  const found = registered.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have: ${registered.map((r) => r.name).join(", ")}`);
  return found;
}

/**
 * Records the parent of every resource a component creates (pass `opts` to the component) and
 * checks that each cloud child (any type outside `modelplane:`) is named `${name}-<role>` and
 * parented to the component. Call `clear()` per test.
 */
export function childRecorder(registered: Registered[]) {
  const parents = new Map<string, pulumi.Resource | undefined>();
  const opts: pulumi.ComponentResourceOptions = {
    transformations: [
      (t) => {
        parents.set(t.name, t.opts.parent);
        return undefined;
      },
    ],
  };
  return {
    opts,
    clear(): void {
      parents.clear();
    },
    /** The cloud children, after asserting their names and parent. */
    children(name: string, component: pulumi.Resource): Registered[] {
      const children = registered.filter((r) => !r.type.startsWith("modelplane:"));
      for (const child of children) {
        assert.ok(child.name.startsWith(`${name}-`), `${child.type} is named ${child.name}, not ${name}-<role>`);
        assert.equal(parents.get(child.name), component, `${child.name} has ${name} as parent`);
      }
      return children;
    },
  };
}

/** The one registered resource of `type`; fails unless there is exactly one. */
export function one(registered: Registered[], type: string): Registered {
  const found = ofType(registered, type);
  assert.equal(found.length, 1, `exactly one ${type}`);
  return found[0] as Registered;
}
