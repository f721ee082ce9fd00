/**
 * The files a quote or the server may be pointed at besides the request: the platform's footprint
 * (`--platform` stack config, or `--footprint` Footprint JSON) and the policy pack config
 * (`--policy-config`). Unreadable or invalid files are ValidationErrors naming the flag and file.
 */
import { readJsonFile } from "../../platform/core/files";
import { parseFootprint, type Footprint } from "../../platform/core/footprint";
import { ValidationError } from "../../platform/core/validation";
import { PlacementPolicies } from "../../policy/policies/placement-policy";

/**
 * The footprint of a platform stack config file (Pulumi.<stack>.yaml).
 *
 * SWITCH(fp-platform): the ONE call site to change when `footprintFromConfigFile(path)` lands in
 * programs/platform/ (branch fp-platform): `return footprintFromConfigFile(file);`. Until then a
 * stack config file cannot be read here without duplicating the platform program's validator.
 */
export function footprintFromPlatformFile(file: string, flag: string): Footprint {
  throw new ValidationError(
    flag,
    `reading the footprint of ${file} needs the platform program's config reader (footprintFromConfigFile), not in this build yet; pass --footprint FILE.json (a Footprint JSON) instead`,
  );
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
