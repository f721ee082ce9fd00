/**
 * The edge of a manual `pulumi up`: the deployment spec comes from stack config, either inline
 * (`modelplane-deployment:spec`, a structured value) or from a JSON file
 * (`modelplane-deployment:specFile`, relative to the project directory). Read here, validated
 * with zod, and passed inward; errors name the config key and the field.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { parseOrThrow, ValidationError } from "../../platform/core/validation";
import { DeploymentSpecSchema, type DeploymentSpec } from "./spec";

export const CONFIG_NAMESPACE = "modelplane-deployment";

/** The two config reads this edge needs (a `pulumi.Config` satisfies it). */
export interface ConfigReader {
  get(key: string): string | undefined;
  getObject<T>(key: string): T | undefined;
}

/** Read and validate the spec from stack config. `projectDir` resolves a relative `specFile`. */
export function specFromConfig(config: ConfigReader, projectDir: string): DeploymentSpec {
  const inline = config.getObject<unknown>("spec");
  const file = config.get("specFile");
  if (inline !== undefined && file !== undefined) {
    throw new ValidationError(
      `${CONFIG_NAMESPACE}:specFile`,
      `set either ${CONFIG_NAMESPACE}:spec or ${CONFIG_NAMESPACE}:specFile, not both`,
    );
  }
  if (inline !== undefined) return parseOrThrow(DeploymentSpecSchema, inline, `${CONFIG_NAMESPACE}:spec`);
  if (file === undefined) {
    throw new ValidationError(
      `${CONFIG_NAMESPACE}:specFile`,
      `is required (or ${CONFIG_NAMESPACE}:spec): e.g. \`pulumi config set ${CONFIG_NAMESPACE}:specFile examples/llama-70b-spot.json\``,
    );
  }
  const path = isAbsolute(file) ? file : join(projectDir, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ValidationError(
      `${CONFIG_NAMESPACE}:specFile`,
      `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(
      `${CONFIG_NAMESPACE}:specFile`,
      `${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return parseOrThrow(DeploymentSpecSchema, data, file);
}
