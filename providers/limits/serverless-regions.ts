/**
 * Where serverless GPUs are offered, as data with its public source.
 *
 * Azure Container Apps runs serverless GPUs on Consumption GPU workload
 * profiles (NVIDIA T4 and A100); Google Cloud Run attaches one GPU per
 * instance (NVIDIA L4, and NVIDIA RTX PRO 6000 Blackwell in preview). Both
 * are offered in a handful of regions only, and a deploy to any other region
 * fails at the provider, which mocks cannot see.
 *
 * `regions` holds only regions read in the provider's own documentation.
 * `caveatRegions` holds regions that may work but were not confirmed there
 * (invitation-only, or reported by third parties); lookups ignore them
 * unless asked with `{ includeUnconfirmed: true }`.
 *
 * Region ids are the provider's programmatic names (e.g. "westus3",
 * "us-central1"); lookups also accept display names such as "West US 3".
 *
 * This folder is self-contained: it imports nothing from the project.
 */

/** Date every row in this file was last compared with its source. */
export const SERVERLESS_CHECKED = "2026-11-30";

/** Clouds with a serverless GPU offer in this table. */
export type ServerlessCloud = "gcp" | "azure";

/** Where a fact was read: the page address and the page's own title. */
export interface SourceRef {
  /** Address of the public page that states the fact. */
  readonly url: string;
  /** The page's title, as the page gives it. */
  readonly title: string;
}

/** A region that may offer the GPU but is not in the provider's public list. */
export interface CaveatRegion {
  /** Programmatic region id. */
  readonly region: string;
  /** Why it is not in `regions` (invitation-only, third-party report...). */
  readonly why: string;
  /** Where the region was seen. */
  readonly source: SourceRef;
}

/** One serverless GPU type on one cloud, with the regions that offer it. */
export interface ServerlessGpuOffer {
  /** Cloud that sells it. */
  readonly cloud: ServerlessCloud;
  /** Product and mechanism, in words. */
  readonly service: string;
  /** Canonical GPU id used by this table (e.g. "nvidia-l4"). */
  readonly gpu: string;
  /** Other names accepted by lookups (provider accelerator ids, profile types...). */
  readonly aliases: readonly string[];
  /** Azure workload profile type that carries the GPU, when there is one. */
  readonly workloadProfileType?: string;
  /** Regions the provider's documentation lists for this GPU. */
  readonly regions: readonly string[];
  /** Regions that may work but were not confirmed in the provider's documentation. */
  readonly caveatRegions?: readonly CaveatRegion[];
  /** The provider page that lists the regions. */
  readonly source: SourceRef;
  /** Date the row was last compared with its source. */
  readonly checked: string;
  /** Present (and false) when `regions` could not be read in the provider's docs. */
  readonly confirmed?: false;
  /** Caveats about the offer (preview status, quota, version of the page read). */
  readonly note?: string;
}

const ACA_GPU_DOC: SourceRef = {
  url: "https://learn.microsoft.com/en-us/azure/container-apps/gpu-serverless-overview",
  title: "Using serverless GPUs in Azure Container Apps",
};
const ACA_NOTE =
  "Region table read in the page's source (MicrosoftDocs/azure-docs articles/container-apps/gpu-serverless-overview.md, ms.date 06/02/2025). " +
  "GPU profiles can only be added when a workload-profiles environment is created, and need GPU quota. " +
  "Profile type names were seen in `az containerapp env workload-profile list-supported` output quoted by third parties.";
const GEMMA_ON_ACA: SourceRef = {
  url: "https://github.com/simonjj/gemma4-on-aca",
  title: 'gemma4-on-aca README: "GPU region availability"',
};
const GEMMA_WHY =
  "listed in a 2026 third-party sample for ACA serverless GPUs (GPU type not stated); not in Microsoft's table that was read";
const CLOUD_RUN_GPU_DOC: SourceRef = {
  url: "https://cloud.google.com/run/docs/configuring/services/gpu",
  title: "GPU support for services | Cloud Run",
};

function gemmaCaveats(regions: readonly string[]): readonly CaveatRegion[] {
  return regions.map((region) => ({ region, why: GEMMA_WHY, source: GEMMA_ON_ACA }));
}

/** Every serverless GPU offer known to this table. */
export const SERVERLESS_GPU_OFFERS: readonly ServerlessGpuOffer[] = [
  {
    cloud: "azure",
    service: "Azure Container Apps, Consumption GPU workload profile",
    gpu: "nvidia-a100",
    aliases: ["a100", "Consumption-GPU-NC24-A100"],
    workloadProfileType: "Consumption-GPU-NC24-A100",
    regions: ["westus3", "westus", "australiaeast", "swedencentral"],
    caveatRegions: gemmaCaveats(["brazilsouth", "canadacentral", "eastus", "italynorth", "uksouth"]),
    source: ACA_GPU_DOC,
    checked: SERVERLESS_CHECKED,
    note: ACA_NOTE,
  },
  {
    cloud: "azure",
    service: "Azure Container Apps, Consumption GPU workload profile",
    gpu: "nvidia-t4",
    aliases: ["t4", "Consumption-GPU-NC8as-T4"],
    workloadProfileType: "Consumption-GPU-NC8as-T4",
    regions: ["westus3", "australiaeast", "swedencentral", "westeurope"],
    caveatRegions: gemmaCaveats(["brazilsouth", "canadacentral", "eastus", "italynorth", "uksouth", "westus"]),
    source: ACA_GPU_DOC,
    checked: SERVERLESS_CHECKED,
    note: `${ACA_NOTE} West Europe T4 needs a new workload profile environment created in that region.`,
  },
  {
    cloud: "gcp",
    service: "Cloud Run services, one GPU per instance",
    gpu: "nvidia-l4",
    aliases: ["l4"],
    regions: ["us-central1", "us-east4", "europe-west1", "europe-west4", "asia-southeast1"],
    caveatRegions: [
      {
        region: "asia-south1",
        why: "available by invitation only, per the same page",
        source: CLOUD_RUN_GPU_DOC,
      },
    ],
    source: CLOUD_RUN_GPU_DOC,
    checked: SERVERLESS_CHECKED,
    note:
      "Needs at least 4 CPU and 16 GiB memory and instance-based billing; quota per project per region. " +
      "Regions read from a 2025 copy of the page (served from cloud-dot-devsite-v2-prod.appspot.com); the newest copy seen was cut off before its region list.",
  },
  {
    cloud: "gcp",
    service: "Cloud Run services, one GPU per instance (Preview)",
    gpu: "nvidia-rtx-pro-6000",
    aliases: ["rtx-pro-6000", "nvidia-rtx-pro-6000-blackwell"],
    regions: [],
    source: CLOUD_RUN_GPU_DOC,
    checked: SERVERLESS_CHECKED,
    confirmed: false,
    note: "The page names this GPU (Preview; at least 20 CPU and 80 GiB) but its region list could not be read, so no region is claimed.",
  },
];

/** Lowercase and drop whitespace: "West US 3" -> "westus3"; GCP ids keep their hyphens. */
function normalizeRegion(region: string): string {
  return region.toLowerCase().replace(/\s+/g, "");
}

/** Lowercase and keep only letters and digits, so "NVIDIA T4" and "nvidia-t4" meet. */
function normalizeGpu(gpu: string): string {
  return gpu.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function offerMatchesGpu(offer: ServerlessGpuOffer, gpu: string): boolean {
  const wanted = normalizeGpu(gpu);
  const names = [offer.gpu, ...offer.aliases].map(normalizeGpu);
  return names.includes(wanted) || names.includes(`nvidia${wanted}`);
}

/** Options for region lookups. */
export interface ServerlessLookupOptions {
  /** Also count `caveatRegions` (invitation-only or third-party reports). Default false. */
  readonly includeUnconfirmed?: boolean;
}

/** The offers for a cloud, optionally narrowed to one GPU (by id or alias). */
export function serverlessGpuOffers(cloud: ServerlessCloud, gpu?: string): readonly ServerlessGpuOffer[] {
  return SERVERLESS_GPU_OFFERS.filter(
    (offer) => offer.cloud === cloud && (gpu === undefined || offerMatchesGpu(offer, gpu)),
  );
}

/**
 * Regions where `cloud` offers a serverless GPU (any GPU, or the given one),
 * sorted. An unknown GPU yields an empty list.
 */
export function serverlessGpuRegions(
  cloud: ServerlessCloud,
  gpu?: string,
  options: ServerlessLookupOptions = {},
): readonly string[] {
  const regions = new Set<string>();
  for (const offer of serverlessGpuOffers(cloud, gpu)) {
    for (const region of offer.regions) regions.add(region);
    if (options.includeUnconfirmed === true) {
      for (const caveat of offer.caveatRegions ?? []) regions.add(caveat.region);
    }
  }
  return [...regions].sort();
}

/** Whether `region` offers a serverless GPU on `cloud` (any GPU, or the given one). */
export function serverlessGpuSupported(
  cloud: ServerlessCloud,
  region: string,
  gpu?: string,
  options: ServerlessLookupOptions = {},
): boolean {
  return serverlessGpuRegions(cloud, gpu, options).includes(normalizeRegion(region));
}
