/**
 * Test support (not a test file): Pulumi mocks that capture every registered resource with its
 * inputs, and return realistic outputs for the resource types and invokes the compute components
 * use. Each test file calls `installMocks()` in its own `before()`.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A kubeconfig AKS would return (base64 in the invoke result). */
export const AKS_KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

/** Outputs the cloud computes, per resource type (merged over the inputs). */
function computedState(type: string, name: string, inputs: Obj): Obj {
  switch (type) {
    case "aws:iam/role:Role":
      return { name: `${name}-0a1b2c`, arn: `arn:aws:iam::123456789012:role/${name}-0a1b2c` };
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

/** Install capturing mocks; returns the live list of registered resources (clear it per test). */
export async function installMocks(): Promise<Registered[]> {
  const registered: Registered[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs as Obj });
      return { id: `${args.name}-id`, state: { ...(args.inputs as Obj), ...computedState(args.type, args.name, args.inputs as Obj) } };
    },
    call: (args) => {
      switch (args.token) {
        case "aws:ec2/getVpc:getVpc":
          return { id: "vpc-0default" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
          return { names: ["us-east-1a", "us-east-1b", "us-east-1c"], zoneIds: ["use1-az1", "use1-az2", "use1-az4"] };
        case "aws:ec2/getSubnets:getSubnets": {
          // Echo the filter the component asked for, so tests can check it.
          lastSubnetFilters.splice(0, lastSubnetFilters.length, ...arr(obj(args.inputs)["filters"]));
          return { ids: ["subnet-a", "subnet-b", "subnet-c"] };
        }
        case "gcp:organizations/getProject:getProject":
          return { projectId: "mock-project", name: "mock-project" };
        case "azure-native:containerservice:listManagedClusterUserCredentials":
          return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(AKS_KUBECONFIG).toString("base64") }] };
        default:
          return args.inputs;
      }
    },
  }, "modelplane", "test", false);
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
  return new Promise<T>((resolve) => { output.apply((v) => { resolve(v); return v; }); });
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
