/**
 * ServerlessEndpoint on Azure: a Container App on a serverless GPU workload profile, scaling from
 * 0 on HTTP concurrency, in a Container Apps environment that is either passed in (the platform
 * stack's, shared by every model) or created here.
 *
 * Facts (read 2026-11-22, https://learn.microsoft.com/azure/container-apps/gpu-serverless-overview
 * and https://learn.microsoft.com/azure/container-apps/workload-profiles-overview):
 * - Serverless GPU workload-profile types `Consumption-GPU-NC8as-T4` (1 × T4 16 GB, 8 vCPU,
 *   56 GiB) and `Consumption-GPU-NC24-A100` (1 × A100 80 GB, 24 vCPU, 220 GiB); apps scale to 0.
 * - Blob storage cannot be mounted (only Azure Files / EmptyDir), so the weights are downloaded.
 *   Not by an init container: init containers cannot use the app's managed identity
 *   (https://learn.microsoft.com/azure/container-apps/managed-identity, "Managed identities aren't
 *   available in init containers", read 2026-11-30), so `az login --identity` failed there. The main
 *   container downloads them itself, with a token from the identity endpoint Container Apps gives it
 *   (`IDENTITY_ENDPOINT`, `IDENTITY_HEADER`), through the Blob REST API, then starts the server.
 * - Ephemeral storage per replica is 8 GiB at most (over 1 vCPU;
 *   https://learn.microsoft.com/azure/container-apps/storage-mounts, "Ephemeral storage", read
 *   2026-11-30): weights up to `MAX_EPHEMERAL_WEIGHTS_GIB` go to an EmptyDir; larger weights go to
 *   an Azure Files share mounted into the app (`weights-share.ts`), which also keeps them across
 *   cold starts. Past the share's 5 TiB the deployment program refuses the placement.
 */
import { app, resources } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import type * as inputs from "@pulumi/azure-native/types/input";
import { toAzureTags } from "../../platform/core/tags";
import { ValidationError } from "../../platform/core/validation";
import { DEFAULT_SERVER_IMAGES } from "../kubernetes/model-server";
import type {
  EnvironmentPlan,
  EnvironmentResult,
  ServerlessPlan,
  ServerlessProvider,
  ServerlessResult,
  ServerlessSku,
} from "../types/serverless";
import { containerAppName } from "./naming";
import { serverlessGpuRegions, serverlessGpuSupported } from "../limits/serverless-regions";
import {
  createWeightsShare,
  MAX_SHARE_GIB,
  parseEnvironmentId,
  SHARE_HEADROOM,
  weightsVolumeKind,
} from "./weights-share";

export { MAX_EPHEMERAL_GIB } from "./weights-share";

/** Container Apps serverless GPU SKUs sold in `region` (the region table of providers/limits/serverless-regions.ts). Pure. */
export function containerAppsSkusIn(region: string): readonly ServerlessSku[] {
  return CONTAINER_APPS_SKUS.filter((s) => serverlessGpuSupported("azure", region, s.sku));
}

const SOURCE = "https://learn.microsoft.com/azure/container-apps/gpu-serverless-overview (read 2026-11-22)";

export const CONTAINER_APPS_SKUS: readonly ServerlessSku[] = [
  {
    product: "container-apps",
    sku: "Consumption-GPU-NC8as-T4",
    gpuType: "T4",
    gpuCount: 1,
    vcpus: 8,
    memoryGiB: 56,
    source: SOURCE,
  },
  {
    product: "container-apps",
    sku: "Consumption-GPU-NC24-A100",
    gpuType: "A100-80GB",
    gpuCount: 1,
    vcpus: 24,
    memoryGiB: 220,
    source: SOURCE,
  },
];

/** The profile NAME modelplane gives each serverless GPU profile type inside an environment. */
export const GPU_PROFILE_NAMES: Readonly<Record<string, string>> = {
  "Consumption-GPU-NC8as-T4": "gpu-t4",
  "Consumption-GPU-NC24-A100": "gpu-a100",
};

/**
 * The workload profiles of a modelplane Container Apps environment: the default Consumption
 * profile plus one profile per serverless GPU type given. Pure.
 */
export function gpuWorkloadProfiles(skus: readonly ServerlessSku[]): inputs.app.WorkloadProfileArgs[] {
  const profiles: inputs.app.WorkloadProfileArgs[] = [{ name: "Consumption", workloadProfileType: "Consumption" }];
  for (const sku of skus) {
    const profileName = GPU_PROFILE_NAMES[sku.sku];
    if (profileName && !profiles.some((p) => p.name === profileName)) {
      profiles.push({ name: profileName, workloadProfileType: sku.sku });
    }
  }
  return profiles;
}

/** Where the weights are copied to inside the app (an EmptyDir volume, or the Azure Files share). */
export const MODEL_MOUNT = "/models";
export const WEIGHTS_DIR = `${MODEL_MOUNT}/weights`;

const BLOB_URI =
  /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.windows\.net\/([a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?)(?:\/(.*))?$/;
const SAFE = /^[A-Za-z0-9._~+=@%/-]*$/;

/**
 * Python (standard library only, present in the vLLM image) that downloads every blob under the
 * prefix into the folder `DEST` names (environment) as the user-assigned identity `AZURE_CLIENT_ID`, using the Container Apps
 * identity endpoint and the Blob REST API (List Blobs with `marker` paging, Get Blob; bearer tokens
 * need `x-ms-version` 2017-11-09 or later). Pure.
 */
function blobDownloadPython(account: string, container: string, prefix: string): string {
  return [
    "import json, os, urllib.parse, urllib.request, xml.etree.ElementTree as ET",
    `account, container, prefix = '${account}', '${container}', '${prefix ? `${prefix}/` : ""}'`,
    "dest = os.environ['DEST']",
    "q = urllib.parse.urlencode({'resource': 'https://storage.azure.com/', 'api-version': '2019-08-01', 'client_id': os.environ['AZURE_CLIENT_ID']})",
    "req = urllib.request.Request(os.environ['IDENTITY_ENDPOINT'] + '?' + q, headers={'X-IDENTITY-HEADER': os.environ['IDENTITY_HEADER']})",
    "token = json.load(urllib.request.urlopen(req))['access_token']",
    "h = {'Authorization': 'Bearer ' + token, 'x-ms-version': '2021-08-06'}",
    "base = 'https://%s.blob.core.windows.net/%s' % (account, container)",
    "marker = ''",
    "while True:",
    "    q = urllib.parse.urlencode({'restype': 'container', 'comp': 'list', 'prefix': prefix, 'marker': marker})",
    "    root = ET.parse(urllib.request.urlopen(urllib.request.Request(base + '?' + q, headers=h))).getroot()",
    "    for name in [b.findtext('Name') for b in root.iter('Blob')]:",
    "        path = os.path.join(dest, name[len(prefix):])",
    "        os.makedirs(os.path.dirname(path), exist_ok=True)",
    "        with urllib.request.urlopen(urllib.request.Request(base + '/' + urllib.parse.quote(name), headers=h)) as r, open(path, 'wb') as f:",
    "            while True:",
    "                chunk = r.read(1 << 24)",
    "                if not chunk: break",
    "                f.write(chunk)",
    "    marker = root.findtext('NextMarker') or ''",
    "    if not marker: break",
  ].join("\n");
}

/** The vLLM OpenAI server module, started after the download (the image's own server). */
export const VLLM_SERVER_MODULE = "vllm.entrypoints.openai.api_server";

/** Written into WEIGHTS_DIR once every blob is in: its presence means "complete, skip the download". */
export const COMPLETE_MARKER = ".modelplane-complete";

/**
 * The main container's shell script: unless WEIGHTS_DIR already holds a complete copy (a marker
 * file: an Azure Files share keeps it across cold starts), download the model folder as the
 * user-assigned identity into a per-replica temporary folder and move it into place, then exec the
 * server with the container's args (`"$@"`). Replicas starting together each download; the first
 * to finish moves its copy in and the others drop theirs. Throws naming `modelUri` for a bad URI. Pure.
 */
export function blobFetchScript(uri: string): string {
  const m = BLOB_URI.exec(uri.replace(/\/+$/, ""));
  if (!m || !m[1] || !m[2]) {
    throw new ValidationError(
      "modelUri",
      `"${uri}" is not an https://<account>.blob.core.windows.net/<container>/<prefix> URI`,
    );
  }
  const [, account, container, prefix = ""] = m;
  if (!SAFE.test(prefix)) throw new ValidationError("modelUri", `"${uri}" has characters not allowed in a model path`);
  const tmp = `${MODEL_MOUNT}/.download-$(hostname)`;
  return [
    "set -eu",
    `if [ ! -f '${WEIGHTS_DIR}/${COMPLETE_MARKER}' ]; then`,
    `  rm -rf "${tmp}"`,
    `  mkdir -p "${tmp}"`,
    `  DEST="${tmp}" python3 - <<'PY'\n${blobDownloadPython(account, container, prefix)}\nPY`,
    `  touch "${tmp}/${COMPLETE_MARKER}"`,
    `  if [ ! -f '${WEIGHTS_DIR}/${COMPLETE_MARKER}' ]; then rm -rf '${WEIGHTS_DIR}'; mv "${tmp}" '${WEIGHTS_DIR}'; else rm -rf "${tmp}"; fi`,
    "fi",
    `exec python3 -m ${VLLM_SERVER_MODULE} "$@"`,
  ].join("\n");
}

function validate(plan: ServerlessPlan): void {
  // Microsoft lists the regions of each serverless GPU; elsewhere the workload profile is refused.
  if (!serverlessGpuSupported("azure", plan.region, plan.sku.sku)) {
    throw new ValidationError(
      "region",
      `${plan.region} does not offer the Container Apps serverless GPU ${plan.sku.sku}; regions that do: ${serverlessGpuRegions("azure", plan.sku.sku).join(", ")} (learn.microsoft.com/azure/container-apps/gpu-serverless-overview)`,
    );
  }
  if (!plan.fromHub && plan.modelAccess === undefined) {
    throw new ValidationError(
      "modelAccess",
      "is required on azure for a blob modelUri: the app downloads the weights as a user-assigned identity; pass ModelStore.access (or use an hf:// modelUri)",
    );
  }
  if (plan.workloadProfileName !== undefined && !/^[A-Za-z][A-Za-z0-9-]*$/.test(plan.workloadProfileName)) {
    throw new ValidationError(
      "workloadProfileName",
      `"${plan.workloadProfileName}" is not a workload-profile name (a letter, then letters, digits, hyphens)`,
    );
  }
}

/** One Container Apps environment with a workload profile per GPU SKU, for many apps to share. */
function createEnvironment(plan: EnvironmentPlan, parent: pulumi.ComponentResource): EnvironmentResult {
  const { name, region: location } = plan;
  const opts = { parent };
  const tags = toAzureTags(plan.tags);
  const resourceGroupName = pulumi.output(
    plan.resourceGroupName ?? new resources.ResourceGroup(`${name}-rg`, { location, tags }, opts).name,
  );
  const environment = new app.ManagedEnvironment(
    `${name}-env`,
    {
      resourceGroupName,
      location,
      environmentName: containerAppName(`${name}-env`, `${plan.namespace}/${location}/${name}/env`),
      workloadProfiles: gpuWorkloadProfiles(plan.skus),
      tags,
    },
    opts,
  );
  const workloadProfileNames: Record<string, string> = {};
  for (const sku of plan.skus) {
    const profile = GPU_PROFILE_NAMES[sku.sku];
    if (profile) workloadProfileNames[sku.sku] = profile;
  }
  return { environmentId: environment.id, resourceGroupName, workloadProfileNames };
}

/** The environment an app of `plan` runs in: the given one (parsed from its id), or the one `create` makes. */
function environmentOf(
  plan: ServerlessPlan,
  resourceGroupName: pulumi.Input<string>,
): { environmentName: pulumi.Input<string>; environmentResourceGroupName: pulumi.Input<string> } {
  if (plan.environmentId !== undefined) {
    const parsed = pulumi.output(plan.environmentId).apply(parseEnvironmentId);
    return { environmentName: parsed.environmentName, environmentResourceGroupName: parsed.resourceGroupName };
  }
  return {
    environmentName: containerAppName(`${plan.name}-env`, `${plan.namespace}/${plan.region}/${plan.name}/env`),
    environmentResourceGroupName: resourceGroupName,
  };
}

function create(plan: ServerlessPlan, parent: pulumi.ComponentResource): ServerlessResult {
  const { name, sku, region: location } = plan;
  const opts = { parent };
  const tags = toAzureTags(plan.tags);
  const resourceGroupName =
    plan.resourceGroupName ?? new resources.ResourceGroup(`${name}-rg`, { location, tags }, opts).name;
  const profileName = plan.workloadProfileName ?? GPU_PROFILE_NAMES[sku.sku] ?? "gpu";
  const environmentId: pulumi.Input<string> =
    plan.environmentId ??
    createEnvironment(
      { name, namespace: plan.namespace, region: location, skus: [sku], tags: plan.tags, resourceGroupName },
      parent,
    ).environmentId;

  const env: inputs.app.EnvironmentVarArgs[] = Object.entries({
    ...plan.env,
    MODEL_URI: plan.modelUri,
    MODEL_DIR: plan.modelDir,
    SERVED_MODEL_NAME: plan.servedModelName,
  }).map(([k, value]) => ({ name: k, value }));
  if (plan.modelAccess) env.push({ name: "AZURE_CLIENT_ID", value: plan.modelAccess.clientId });

  const mounts = [{ volumeName: "model", mountPath: MODEL_MOUNT }];
  // Weights past the replica's ephemeral storage go on an Azure Files share (weights-share.ts).
  const volume: inputs.app.VolumeArgs =
    !plan.fromHub && weightsVolumeKind(plan.weightsGiB) === "AzureFile" && plan.weightsGiB !== undefined
      ? {
          name: "model",
          storageType: app.StorageType.AzureFile,
          storageName: createWeightsShare(
            {
              name,
              namespace: plan.namespace,
              location,
              resourceGroupName,
              ...environmentOf(plan, resourceGroupName),
              weightsGiB: plan.weightsGiB,
              tags: plan.tags,
            },
            parent,
          ).storageName,
        }
      : { name: "model", storageType: app.StorageType.EmptyDir };
  // Blob weights: the server container downloads them first (init containers get no managed identity).
  const command: pulumi.Input<string[]> | undefined = plan.fromHub
    ? undefined
    : pulumi.output(plan.modelUri).apply((uri) => ["/bin/sh", "-c", blobFetchScript(uri), "fetch-then-serve"]);

  const containerApp = new app.ContainerApp(
    `${name}-app`,
    {
      containerAppName: containerAppName(name, `${plan.namespace}/${location}/${name}`),
      resourceGroupName,
      location,
      managedEnvironmentId: environmentId,
      workloadProfileName: profileName,
      identity: plan.modelAccess
        ? { type: app.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [plan.modelAccess.identity] }
        : { type: app.ManagedServiceIdentityType.None },
      configuration: {
        activeRevisionsMode: app.ActiveRevisionsMode.Single,
        ingress: {
          external: plan.allowUnauthenticated,
          targetPort: plan.port,
          transport: app.IngressTransportMethod.Auto,
          allowInsecure: false,
        },
      },
      template: {
        containers: [
          {
            name: "server",
            image: plan.image,
            ...(command !== undefined ? { command } : {}),
            args: plan.args,
            env,
            // The server takes the profile's whole GPU and most of its CPU and memory.
            resources: { cpu: sku.vcpus - 0.5, memory: `${sku.memoryGiB - 1}Gi`, gpu: sku.gpuCount },
            probes: [
              {
                type: app.Type.Startup,
                httpGet: { path: "/health", port: plan.port },
                initialDelaySeconds: 60,
                periodSeconds: 60,
                failureThreshold: 10,
                timeoutSeconds: 5,
              },
            ],
            volumeMounts: plan.fromHub ? [] : mounts,
          },
        ],
        volumes: plan.fromHub ? [] : [volume],
        scale: {
          minReplicas: 0,
          maxReplicas: plan.maxInstances,
          cooldownPeriod: 600,
          rules: [{ name: "http-concurrency", http: { metadata: { concurrentRequests: String(plan.concurrency) } } }],
        },
      },
      tags,
    },
    opts,
  );

  return {
    url: containerApp.configuration.apply((c) => `https://${c?.ingress?.fqdn ?? ""}`),
    environmentId: pulumi.output(environmentId),
    serviceName: containerApp.name,
  };
}

export const azureServerless: ServerlessProvider = {
  createEnvironment,
  skusIn: containerAppsSkusIn,
  regionsFor: (sku) => serverlessGpuRegions("azure", sku.sku),
  product: "container-apps",
  skus: CONTAINER_APPS_SKUS,
  defaultImage: DEFAULT_SERVER_IMAGES.vllm,
  modelDir: WEIGHTS_DIR,
  // Past the ephemeral storage the weights go on an Azure Files share of at most 5 TiB, with headroom.
  maxDownloadedWeightsGiB: Math.floor(MAX_SHARE_GIB / (1 + SHARE_HEADROOM)),
  validate,
  create,
};
