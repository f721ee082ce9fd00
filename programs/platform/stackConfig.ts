/**
 * Turning stack configuration into the raw object `parsePlatformConfig` validates — from the
 * running Pulumi engine (`pulumi.runtime.allConfig()`: values are strings, objects are JSON) or
 * from a `Pulumi.<stack>.yaml` file (for tests and offline plans). Pure; no validation here.
 */
import { parse as parseYaml } from "yaml";
import { CONFIG_NAMESPACE } from "./config";
import { ValidationError } from "../../platform/core/validation";

const PREFIX = `${CONFIG_NAMESPACE}:`;

/** `{"modelplane:clouds": "[...]", "aws:region": "x"}` → `{ clouds: [...] }` (other namespaces dropped). */
export function rawConfigFromEngine(all: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(PREFIX)) continue;
    // The engine hands structured values as JSON and scalars as their text: `false`, `30`, `platform-team`.
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = value;
    }
    out[key.slice(PREFIX.length)] = parsed;
  }
  return out;
}

/** The `modelplane:*` keys of a `Pulumi.<stack>.yaml` document, as a raw object. */
export function rawConfigFromStackYaml(text: string, file = "Pulumi.<stack>.yaml"): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ValidationError(file, `not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const config = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)["config"] : undefined;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ValidationError(file, "has no `config:` map");
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (key.startsWith(PREFIX)) out[key.slice(PREFIX.length)] = value;
  }
  return out;
}
