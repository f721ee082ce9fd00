/**
 * The files a quote or the server may be pointed at besides the request: the platform's footprint
 * (`--platform` stack config, or `--footprint` Footprint JSON) and the policy pack config
 * (`--policy-config`), and for the server also the catalog (`--catalog`). Unreadable or invalid
 * files are ValidationErrors naming the flag (or environment variable) and the file.
 */
import { readJsonFile } from "../../platform/core/files";
import { defaultCatalog, loadCatalog } from "../../platform/core/pricing/catalog";
import type { Catalog } from "../../platform/core/pricing/types";
import type { AppConfig } from "../../platform/service/config";
import { parseFootprint, type Footprint } from "../../platform/core/footprint";
import { ValidationError } from "../../platform/core/validation";
import { footprintFromConfigFile } from "../../programs/platform/footprint";
import { PlacementPolicies } from "../../policy/policies/placement-policy";

/**
 * The footprint of a platform stack config file (Pulumi.<stack>.yaml), through the platform
 * program's own validator. Unreadable or invalid → ValidationError naming `flag` and the file.
 */
export function footprintFromPlatformFile(file: string, flag: string): Footprint {
  try {
    return footprintFromConfigFile(file);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(flag, `${file}: ${err.message}`);
    throw err;
  }
}

/** The footprint named by `--platform FILE` or `--footprint FILE.json` (not both); undefined when neither. */
export function footprintFromFlags(values: { platform?: string; footprint?: string }): Footprint | undefined {
  if (values.platform && values.footprint) {
    throw new ValidationError(
      "--footprint",
      "pass either --platform (a stack config) or --footprint (a Footprint JSON), not both",
    );
  }
  if (values.platform) return footprintFromPlatformFile(values.platform, "--platform");
  if (values.footprint) {
    const raw = readJsonFile(values.footprint, "--footprint");
    const withSource =
      typeof raw === "object" && raw !== null && !("source" in raw)
        ? { ...raw, source: { kind: "config", file: values.footprint } }
        : raw;
    return parseFootprint(withSource, "--footprint");
  }
  return undefined;
}

/** The policy pack config named by `flag` (`--policy-config`), ready per environment; undefined without one. */
export function policiesFromFile(file: string | undefined, flag: string): PlacementPolicies | undefined {
  if (!file) return undefined;
  try {
    return new PlacementPolicies(readJsonFile(file, flag), file);
  } catch (err) {
    if (err instanceof ValidationError && err.field !== flag) {
      throw new ValidationError(flag, `${file}: ${err.message}`);
    }
    throw err;
  }
}

/** What the server prices and places with: its catalog and its policy config, with where each came from. */
export interface ServerPricing {
  catalog: Catalog;
  /** `shipped catalog <version>` or the file. */
  catalogSource: string;
  /** The policy pack config for the pre-flight; undefined = every policy's defaults. */
  policyConfig: unknown;
  /** The same config as placement policies (quotes and deployments). */
  policies: PlacementPolicies;
}

/**
 * The server's catalog (`--catalog FILE`, else MODELPLANE_CATALOG, else the shipped one) and policy
 * config (`--policy-config FILE`, else MODELPLANE_POLICY_CONFIG, else every policy's defaults, as
 * the pre-flight uses them). A bad file is a startup error naming the flag or variable and the file.
 */
export function serverPricing(
  flags: { catalog?: string; policyConfig?: string },
  config: Pick<AppConfig, "catalogFile" | "policyConfigFile">,
): ServerPricing {
  const catalogFile = flags.catalog ?? config.catalogFile;
  const catalogField = flags.catalog ? "--catalog" : "MODELPLANE_CATALOG";
  let catalog: Catalog;
  try {
    catalog = catalogFile ? loadCatalog(catalogFile) : defaultCatalog();
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(catalogField, `${catalogFile}: ${err.message}`);
    throw err;
  }
  const policyFile = flags.policyConfig ?? config.policyConfigFile;
  const policyField = flags.policyConfig ? "--policy-config" : "MODELPLANE_POLICY_CONFIG";
  const policyConfig = policyFile ? readJsonFile(policyFile, policyField) : undefined;
  const policies = policyFile
    ? policiesFromFile(policyFile, policyField)!
    : new PlacementPolicies(undefined, "policy defaults (no policy config)");
  return {
    catalog,
    catalogSource: catalogFile ? `${catalogFile} (${catalog.version})` : `shipped catalog ${catalog.version}`,
    policyConfig,
    policies,
  };
}
