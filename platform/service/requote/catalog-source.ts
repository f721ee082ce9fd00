/**
 * The server's catalog for re-quotes: the file MODELPLANE_CATALOG names (the `modelplane catalog
 * --json` format), re-read by every sweep, or the shipped catalog. A bad file is a ValidationError
 * naming MODELPLANE_CATALOG, the file and the field; the file's content hash tells a sweep whether
 * the catalog changed since the last one.
 */
import { readFileSync } from "node:fs";
import { defaultCatalog, DEFAULT_CATALOG_PATH, parseCatalog } from "../../core/pricing/catalog";
import type { Catalog } from "../../core/pricing/types";
import { ValidationError } from "../../core/validation";
import { contentHash } from "./requote";

export interface LoadedCatalog {
  catalog: Catalog;
  /** SHA-256 of the file's bytes. */
  hash: string;
  /** The file read, or the shipped catalog's path. */
  file: string;
}

/** The field errors name: the environment variable the file came from. */
export const CATALOG_FIELD = "MODELPLANE_CATALOG";

/** Read (and validate) the catalog file, or the shipped catalog when `file` is undefined. */
export function readCatalogSource(file: string | undefined): LoadedCatalog {
  if (file === undefined) {
    return {
      catalog: defaultCatalog(),
      hash: contentHash(readFileSync(DEFAULT_CATALOG_PATH)),
      file: DEFAULT_CATALOG_PATH,
    };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String((err as Error).message);
    throw new ValidationError(
      CATALOG_FIELD,
      `${file}: cannot read it (${why}); point it at a \`modelplane catalog --json\` file`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (err) {
    throw new ValidationError(
      CATALOG_FIELD,
      `${file}: not JSON (${(err as Error).message}); write it with \`modelplane catalog --json\``,
    );
  }
  try {
    return { catalog: parseCatalog(raw, "catalog"), hash: contentHash(bytes), file };
  } catch (err) {
    if (err instanceof ValidationError) {
      const detail = err.message.startsWith(err.field) ? err.message : `${err.field}: ${err.message}`;
      throw new ValidationError(CATALOG_FIELD, `${file}: ${detail}`);
    }
    throw err;
  }
}

/** The hash of the file now, or null when it cannot be read (the next sweep reports why). */
export function catalogHashNow(file: string | undefined): string | null {
  try {
    return contentHash(readFileSync(file ?? DEFAULT_CATALOG_PATH));
  } catch {
    return null;
  }
}
