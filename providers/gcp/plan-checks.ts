/**
 * What the offline plan checks on Google Cloud resources: name inputs and their limits, the
 * Cloud Run GPU a service asks for (and where), a GKE node pool's disk size and GPU driver, what
 * a GKE cluster runs by itself (the NVIDIA device plugin, the ComputeClass CRD) and the
 * ComputeClass schema. Property names follow @pulumi/gcp 9.x. Names the program leaves out are
 * auto-named by Pulumi.
 *
 * GKE and GPUs (read 2026-12-01):
 * - GKE runs the NVIDIA device plugin on GPU nodes itself; a node pool asks GKE to install the
 *   driver with `guestAccelerators[].gpuDriverInstallationConfig.gpuDriverVersion` `DEFAULT` or
 *   `LATEST`; `GPU_DRIVER_VERSION_UNSPECIFIED` "is to not install any GPU driver" and
 *   `INSTALLATION_DISABLED` "needs manual installation" (GKE API enum GPUDriverVersion,
 *   https://cloud.google.com/ruby/docs/reference/google-cloud-container-v1/latest/Google-Cloud-Container-V1-GPUDriverInstallationConfig-GPUDriverVersion).
 *   modelplane installs no driver on GKE, so a GPU pool without `DEFAULT`/`LATEST` never serves.
 * - A node labelled `gke-no-default-nvidia-gpu-device-plugin=true` gets no GKE device plugin; one
 *   `nvidia.com/gpu` advertiser per node ("Two plugins registering the same resource name is not a
 *   benign overlap"): NVIDIA AI Cluster Runtime, GKE GPU Setup,
 *   https://docs.nvidia.com/aicr/integrator-guide/gke-gpu-setup. So the platform installs no device
 *   plugin chart on GKE, and the plan lists GKE's as managed.
 */
import { isRecord, list, num, str, stringMap } from "../../platform/core/resources/read";
import type { InputFinding, ManagedAddon, PlanCheckModule, ServerlessGpuUse } from "../types/plan-checks";
import type { KindRef } from "../limits/addons";
import { COMPUTE_CLASS_API_VERSION, COMPUTE_CLASS_CRD, COMPUTE_CLASS_KIND } from "./compute-class";

const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";

export const GKE_DEVICE_PLUGIN_SOURCE =
  "GKE-managed NVIDIA device plugin: NVIDIA AI Cluster Runtime, GKE GPU Setup, https://docs.nvidia.com/aicr/integrator-guide/gke-gpu-setup (read 2026-12-01)";
export const GKE_DRIVER_SOURCE =
  "GKE API GPUDriverInstallationConfig.GPUDriverVersion, https://cloud.google.com/ruby/docs/reference/google-cloud-container-v1/latest/Google-Cloud-Container-V1-GPUDriverInstallationConfig-GPUDriverVersion (read 2026-12-01)";
/** Values of `gpuDriverVersion` with which GKE installs the driver. */
export const GKE_DRIVER_INSTALLED = ["DEFAULT", "LATEST"] as const;
/** Node label that turns GKE's device plugin off on a node. */
export const GKE_NO_DEVICE_PLUGIN_LABEL = "gke-no-default-nvidia-gpu-device-plugin";

/** The driver and device-plugin settings of a GKE node pool's GPUs. Pure over the inputs. */
export function gkeGpuInputFindings(inputs: Record<string, unknown>): InputFinding[] {
  const accelerators = list(inputs, "nodeConfig.guestAccelerators");
  const out: InputFinding[] = [];
  accelerators.forEach((a, i) => {
    if (!isRecord(a)) return;
    const field = `nodeConfig.guestAccelerators[${i}].gpuDriverInstallationConfig.gpuDriverVersion`;
    const version = str(a, "gpuDriverInstallationConfig.gpuDriverVersion");
    if (version === undefined || !(GKE_DRIVER_INSTALLED as readonly string[]).includes(version))
      out.push({
        field,
        message: `${field} is ${version === undefined ? "not set" : `"${version}"`}, so GKE installs no NVIDIA driver and the GPUs are never usable (modelplane installs none on GKE); set it to ${GKE_DRIVER_INSTALLED.join(" or ")}`,
        source: GKE_DRIVER_SOURCE,
      });
  });
  if (accelerators.length > 0 && stringMap(inputs, "nodeConfig.labels")?.[GKE_NO_DEVICE_PLUGIN_LABEL] === "true")
    out.push({
      field: `nodeConfig.labels.${GKE_NO_DEVICE_PLUGIN_LABEL}`,
      message: `nodeConfig.labels sets ${GKE_NO_DEVICE_PLUGIN_LABEL}=true, which turns GKE's device plugin off, and the platform installs none on GKE: no node advertises nvidia.com/gpu; remove the label`,
      source: GKE_DEVICE_PLUGIN_SOURCE,
    });
  return out;
}

export const gcpPlanChecks: PlanCheckModule = {
  platform: "gcp",
  nameChecks: [
    { type: CLUSTER, field: "name", kind: "gke-cluster", autoName: "pulumi-suffix" },
    { type: NODE_POOL, field: "name", kind: "gke-node-pool", autoName: "pulumi-suffix" },
    { type: "gcp:storage/bucket:Bucket", field: "name", kind: "gcs-bucket", autoName: "pulumi-suffix" },
    { type: "gcp:serviceaccount/account:Account", field: "accountId", kind: "gcp-service-account-id" },
    { type: "gcp:cloudrunv2/service:Service", field: "name", kind: "cloud-run-service", autoName: "pulumi-suffix" },
  ],
  objectIdentities: [
    {
      // A non-authoritative binding: one member in one role of one service account. Two stacks
      // granting the same triple share it, and the first destroy revokes it for both.
      type: "gcp:serviceaccount/iAMMember:IAMMember",
      fields: ["serviceAccountId", "role", "member"],
      source:
        "Pulumi Registry, gcp.serviceaccount.IAMMember (https://www.pulumi.com/registry/packages/gcp/api-docs/serviceaccount/iammember/), read 2026-12-01",
    },
  ],
  managedAddons(r): readonly ManagedAddon[] {
    if (r.type !== CLUSTER) return [];
    return [{ addon: "nvidia-device-plugin", by: "GKE", source: GKE_DEVICE_PLUGIN_SOURCE }];
  },
  managedKinds(r): readonly KindRef[] {
    // GKE 1.30.3-gke.1451000 and later serve the ComputeClass CRD (providers/gcp/compute-class.ts).
    // A GKE node pool is on a GKE cluster: in a deployment's plan (whose cluster is the platform's,
    // not in the stack) its dedicated pool shows the target cluster serves the kind.
    return r.type === CLUSTER || r.type === NODE_POOL
      ? [{ apiVersion: COMPUTE_CLASS_API_VERSION, kind: COMPUTE_CLASS_KIND }]
      : [];
  },
  gpuInputChecks(r): readonly InputFinding[] {
    return r.type === NODE_POOL ? gkeGpuInputFindings(r.inputs) : [];
  },
  crdSchemas: [COMPUTE_CLASS_CRD],
  serverlessGpus(r): readonly ServerlessGpuUse[] {
    if (r.type !== "gcp:cloudrunv2/service:Service") return [];
    const gpu = str(r.inputs, "template.nodeSelector.accelerator");
    const region = str(r.inputs, "location") ?? r.providerRegion;
    if (!gpu || !region) return [];
    return [{ cloud: "gcp", region, gpu, field: "template.nodeSelector.accelerator" }];
  },
  nodeDiskGiB(r) {
    if (r.type !== NODE_POOL) return undefined;
    const gib = num(r.inputs, "nodeConfig.diskSizeGb");
    return gib === undefined ? undefined : { gib, field: "nodeConfig.diskSizeGb" };
  },
};
