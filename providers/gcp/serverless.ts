/**
 * ServerlessEndpoint on GCP: a Cloud Run (v2) service with one NVIDIA L4 per instance, scaling
 * from 0, reading the weights through a read-only Cloud Storage FUSE volume.
 *
 * Facts (read 2026-11-22):
 * - Cloud Run GPUs: `nvidia-l4`, 1 per instance, at least 4 vCPU and 16 GiB (8 vCPU / 32 GiB
 *   recommended), CPU always allocated, min instances may be 0
 *   (https://cloud.google.com/run/docs/configuring/services/gpu).
 * - Regions with Cloud Run GPUs include us-central1, europe-west1, europe-west4, asia-southeast1,
 *   asia-south1 (https://cloud.google.com/run/docs/configuring/services/gpu-zonal-redundancy).
 * - GCS volumes accept gcsfuse mount options such as `only-dir`
 *   (https://cloud.google.com/run/docs/configuring/services/cloud-storage-volume-mounts).
 */
import { gcp, type GcpTypes } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { toGcpLabels } from "../../platform/core/tags";
import { DEFAULT_SERVER_IMAGES } from "../kubernetes/model-server";
import { ValidationError } from "../../platform/core/validation";
import type { ServerlessPlan, ServerlessProvider, ServerlessResult, ServerlessSku } from "../types/serverless";
import { cloudRunServiceName } from "./naming";

export const CLOUD_RUN_SKUS: readonly ServerlessSku[] = [
  {
    product: "cloud-run",
    sku: "nvidia-l4",
    gpuType: "L4",
    gpuCount: 1,
    // The minimum a GPU instance takes (and what the pricing catalog prices): 4 vCPU, 16 GiB.
    vcpus: 4,
    memoryGiB: 16,
    source: "https://cloud.google.com/run/docs/configuring/services/gpu (read 2026-11-22)",
  },
];

/** Where the GCS volume is mounted inside the container. */
export const GCS_MOUNT = "/mnt/models";

/** `gs://bucket/a/b/` → `{ bucket: "bucket", prefix: "a/b" }`. Throws naming `modelUri` otherwise. Pure. */
export function parseGsUri(uri: string): { bucket: string; prefix: string } {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m || !m[1]) throw new ValidationError("modelUri", `"${uri}" is not a gs://<bucket>/<prefix> URI`);
  return { bucket: m[1], prefix: (m[2] ?? "").replace(/\/+$/, "") };
}

/** The GCS FUSE volume for a model URI: read-only, limited to the model's folder. Pure. */
export function gcsVolume(uri: string): GcpTypes.types.input.cloudrunv2.ServiceTemplateVolume {
  const { bucket, prefix } = parseGsUri(uri);
  const gcs: GcpTypes.types.input.cloudrunv2.ServiceTemplateVolumeGcs = { bucket, readOnly: true };
  if (prefix) gcs.mountOptions = [`only-dir=${prefix}`];
  return { name: "model", gcs };
}

/** Cloud Run takes any registry the service agent can pull from and any port: nothing beyond the SKU table to check. */
function validate(_plan: ServerlessPlan): void {}

function create(plan: ServerlessPlan, parent: pulumi.ComponentResource): ServerlessResult {
  const { name, sku } = plan;
  const labels = toGcpLabels(plan.tags);
  const envs = Object.entries({
    ...plan.env,
    MODEL_URI: plan.modelUri,
    MODEL_DIR: plan.modelDir,
    SERVED_MODEL_NAME: plan.servedModelName,
  }).map(([k, value]) => ({ name: k, value }));
  const volumes = plan.fromHub ? [] : [pulumi.output(plan.modelUri).apply(gcsVolume)];
  const volumeMounts = plan.fromHub ? [] : [{ name: "model", mountPath: GCS_MOUNT }];
  const serviceName = cloudRunServiceName(name, `${plan.namespace}/${plan.project ?? ""}/${plan.region}/${name}`);
  const service = new gcp.cloudrunv2.Service(
    `${name}-service`,
    {
      name: serviceName,
      location: plan.region,
      project: plan.project,
      ingress: "INGRESS_TRAFFIC_ALL",
      deletionProtection: false,
      labels,
      template: {
        labels,
        serviceAccount: plan.modelAccess?.clientId,
        nodeSelector: { accelerator: sku.sku },
        // Best-effort zonal placement: cheaper GPU-seconds, and a scale-from-zero service has no
        // warm capacity to protect anyway.
        gpuZonalRedundancyDisabled: true,
        scaling: { minInstanceCount: 0, maxInstanceCount: plan.maxInstances },
        maxInstanceRequestConcurrency: plan.concurrency,
        timeout: "3600s",
        // Cloud Storage volumes need the second-generation execution environment.
        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        volumes,
        containers: [
          {
            name: "server",
            image: plan.image,
            args: plan.args,
            envs,
            ports: { containerPort: plan.port },
            resources: {
              limits: { cpu: String(sku.vcpus), memory: `${sku.memoryGiB}Gi`, "nvidia.com/gpu": String(sku.gpuCount) },
              cpuIdle: false,
              startupCpuBoost: true,
            },
            // vLLM answers /health once the weights are loaded. failureThreshold × periodSeconds may
            // reach 1800 s on GPU services (600 s otherwise): https://cloud.google.com/run/docs/configuring/healthchecks (read 2026-11-22).
            startupProbe: {
              httpGet: { path: "/health", port: plan.port },
              periodSeconds: 10,
              failureThreshold: 180,
              timeoutSeconds: 5,
            },
            volumeMounts,
          },
        ],
      },
    },
    { parent },
  );
  if (plan.allowUnauthenticated) {
    new gcp.cloudrunv2.ServiceIamMember(
      `${name}-public-invoker`,
      {
        name: service.name,
        location: plan.region,
        project: plan.project,
        role: "roles/run.invoker",
        member: "allUsers",
      },
      { parent },
    );
  }
  return { url: service.uri, environmentId: pulumi.output(undefined), serviceName: service.name };
}

export const gcpServerless: ServerlessProvider = {
  product: "cloud-run",
  skus: CLOUD_RUN_SKUS,
  defaultImage: DEFAULT_SERVER_IMAGES.vllm,
  modelDir: GCS_MOUNT,
  validate,
  create,
};
