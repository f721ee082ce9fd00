/**
 * Geography groups for data residency (`eu`, `us`, `asia`, …): the ONE table that maps a group to
 * each cloud's region codes, by the cloud's own naming scheme. Quote constraints accept a group
 * wherever they accept a region code; egress prices name the geography they hold in.
 *
 * Region naming schemes, as each cloud documents its region list (read 2026-11-30):
 * - AWS: docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 *   (`us-east-1`; `ap-southeast-2` Sydney, `-4` Melbourne, `-6` Auckland are Oceania, the other
 *   `ap-` regions Asia; `il-central-1` Tel Aviv is Middle East).
 * - GCP: cloud.google.com/compute/docs/regions-zones (`us-central1`, `europe-west4`,
 *   `northamerica-northeast1` Montréal, `australia-southeast1`).
 * - Azure: learn.microsoft.com/azure/reliability/regions-list (`eastus`, `westeurope`, `japaneast`).
 */
import type { Cloud } from "./types";

export const GEOGRAPHIES = ["us", "ca", "eu", "asia", "oceania", "sa", "me", "af"] as const;
export type Geography = (typeof GEOGRAPHIES)[number];

/** What each group means, for messages and the docs. */
export const GEOGRAPHY_NAMES: Readonly<Record<Geography, string>> = {
  us: "United States",
  ca: "Canada",
  eu: "Europe (incl. UK, Switzerland, Norway)",
  asia: "Asia (incl. India)",
  oceania: "Australia and New Zealand",
  sa: "South America",
  me: "Middle East",
  af: "Africa",
};

/** Group → cloud → the pattern its region codes follow. */
const TABLE: Readonly<Record<Geography, Readonly<Record<Cloud, RegExp>>>> = {
  us: {
    aws: /^us-(east|west)-\d+$/,
    gcp: /^us-/,
    azure: /^(east|west|central|northcentral|southcentral|westcentral)us\d?$/,
  },
  ca: { aws: /^ca-/, gcp: /^northamerica-northeast/, azure: /^canada/ },
  eu: {
    aws: /^eu-/,
    gcp: /^europe-/,
    azure:
      /^(northeurope|westeurope|france|germany|sweden|uk|norway|switzerland|italy|poland|spain|austria|belgium|denmark)/,
  },
  asia: {
    aws: /^ap-(?!southeast-[246]$)/,
    gcp: /^asia-/,
    azure: /^(eastasia|southeastasia|japan|korea|centralindia|southindia|westindia|jioindia|indonesia|malaysia)/,
  },
  oceania: { aws: /^ap-southeast-[246]$/, gcp: /^australia-/, azure: /^(australia|newzealand)/ },
  sa: { aws: /^sa-/, gcp: /^southamerica-/, azure: /^brazil|^chile/ },
  me: { aws: /^(me|il)-/, gcp: /^me-/, azure: /^(uae|qatar|israel|saudi)/ },
  af: { aws: /^af-/, gcp: /^africa-/, azure: /^southafrica/ },
};

export function isGeography(name: string): name is Geography {
  return (GEOGRAPHIES as readonly string[]).includes(name);
}

/** The group a cloud's region belongs to; undefined for a code no pattern knows. */
export function geographyOf(cloud: Cloud, region: string): Geography | undefined {
  return GEOGRAPHIES.find((g) => TABLE[g][cloud].test(region));
}

/** Whether `region` of `cloud` lies in group `g`. */
export function inGeography(g: Geography, cloud: Cloud, region: string): boolean {
  return TABLE[g][cloud].test(region);
}

/** Levenshtein distance (small strings: region codes). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest of `options` to `word` (ties: first listed), or undefined when none is near. */
export function didYouMean(word: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  const w = word.toLowerCase();
  for (const o of options) {
    const d = distance(w, o.toLowerCase());
    if (d < bestD) {
      best = o;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
