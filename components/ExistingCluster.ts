/**
 * ExistingCluster: a Kubernetes cluster the platform engineer brings. Nothing is created on a
 * cloud: the component holds the cluster's Kubernetes provider (from its secret kubeconfig) and
 * installs the add-ons model stacks need (`providers/kubernetes/existing-cluster.ts`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ValidationError } from "../platform/core/validation";
import { installExistingClusterAddons } from "../providers/kubernetes/existing-cluster";

/** Arguments of an ExistingCluster. */
export interface ExistingClusterArgs {
  /** The cluster's kubeconfig. Always handled as a secret. */
  kubeconfig: pulumi.Input<string>;
  /** Node selectors of the cluster's declared GPU pools (at least one). */
  gpuNodeSelectors: Array<Record<string, string>>;
  /** Install the NVIDIA device plugin (default true; false when the GPU operator runs there). */
  nvidiaDevicePlugin?: boolean;
}

export class ExistingCluster extends pulumi.ComponentResource {
  /** The kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** The cluster's Kubernetes provider (child `${name}-k8s`). */
  readonly provider: k8s.Provider;
  /** The add-ons installed. */
  readonly addons: pulumi.Resource[];

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:compute:ExistingCluster", name, {}, opts);
    if (args.gpuNodeSelectors.length === 0) {
      throw new ValidationError("gpuNodeSelectors", "declare at least one GPU pool of the existing cluster");
    }
    this.kubeconfig = pulumi.secret(args.kubeconfig);
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });
    this.addons = installExistingClusterAddons(name, {
      provider: this.provider,
      parent: this,
      gpuNodeSelectors: args.gpuNodeSelectors,
      nvidiaDevicePlugin: args.nvidiaDevicePlugin ?? true,
    });
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}
