/**
 * What a cloud's pricing module provides, behind one interface (SkyPilot style): the importer,
 * the refresher and the CLI look a cloud up in `providers/registry.ts` and never branch on
 * its name. Modules live in `providers/<cloud>/pricing/` and import no cloud SDK.
 */
import type { Cloud, GpuType } from "../types";
import type { CsvRecord } from "./csv";
import type { GpuOffer, UnpricedGpuOffer } from "./types";

/** Where imported rows came from and what the importer may keep. */
export interface ImportContext {
  /** Provenance written on every offer, e.g. `skypilot-org/skypilot-catalog@00148f2 catalogs/v8/aws/vms.csv`. */
  source: string;
  /** The rows' date, `YYYY-MM-DD`: the source's own date (commit date) when known, else the read date. */
  asOf: string;
  /** Keep opt-in zones (AWS Local Zones such as `usw2-lax1-az1`). Default false. */
  includeLocalZones: boolean;
}

/** A row the importer dropped or repaired, and why (kept so a human can audit the import). */
export interface ImportNote {
  cloud: Cloud;
  /** 1-based line in the source CSV (header = 1); 0 when the note is about a group of rows. */
  line: number;
  instanceType: string;
  region: string;
  action: "rejected" | "repaired" | "spot-dropped";
  reason: string;
}

export interface ImportResult {
  offers: GpuOffer[];
  notes: ImportNote[];
  /** Instance types the source lists without a usable price (kept with the reason, never quoted). */
  unpriced?: UnpricedGpuOffer[];
}

/** Options of a direct refresh from a cloud's public price API. */
export interface RefreshOptions {
  /** Regions to keep (empty: every region the module knows GPU shapes for). */
  regions?: string[];
  /** `fetch` to use (tests pass a recorder); defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Environment to read credentials/keys from (e.g. GCP_API_KEY); defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Date to stamp on the rows, `YYYY-MM-DD`. */
  asOf: string;
}

/** A public price endpoint could not be reached or refused us; `host` names it. */
export class PriceSourceUnavailableError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.name = "PriceSourceUnavailableError";
  }
}

export interface CloudPricing {
  readonly cloud: Cloud;
  /** SkyPilot `vms.csv` columns this cloud's file has, in order (v8 schema). */
  readonly skypilotColumns: readonly string[];
  /** SkyPilot accelerator names → our GPU types (rows with other names are skipped, not rejected). */
  readonly skypilotGpuNames: Readonly<Record<string, GpuType>>;
  /** Turn the records of this cloud's SkyPilot `vms.csv` into offers, repairing/rejecting bad rows. */
  fromSkypilot(records: readonly CsvRecord[], ctx: ImportContext): ImportResult;
  /** The public endpoint `refresh` talks to (for messages). */
  readonly refreshHost: string;
  /** Fetch current list prices from the cloud's public API and turn them into offers. */
  refresh(options: RefreshOptions): Promise<ImportResult>;
}
