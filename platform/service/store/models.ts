/** The model registry's tables (migration 006): a tenant's models and their immutable versions. */
import type { ModelArchitecture } from "../../core/model-config";
import type { Precision } from "../../core/types";
import type { ModelVersion, RegisteredModel, RegisterModelInput } from "../types";
import type { Db, Row } from "./db";
import { iso, jsonObject, num, str } from "./rows";

function toVersion(r: Row): ModelVersion {
  return {
    version: str(r["version"]),
    artifactUri: str(r["artifact_uri"]),
    precision: str(r["precision"]) as Precision,
    parametersBillions: num(r["parameters_billions"]),
    parametersSource: str(r["parameters_source"]) === "given" ? "given" : "config",
    architecture: jsonObject(r["architecture"]) as unknown as ModelArchitecture,
    createdAt: iso(r["created_at"]),
  };
}

function toModel(r: Row, versions: ModelVersion[]): RegisteredModel {
  return { name: str(r["name"]), versions, createdAt: iso(r["created_at"]), updatedAt: iso(r["updated_at"]) };
}

/** Versions of `names` already stored for the tenant (to refuse re-registering one). */
export async function existingVersions(db: Db, tenant: string, name: string, versions: string[]): Promise<string[]> {
  const r = await db.query(`SELECT version FROM model_versions WHERE tenant = $1 AND name = $2 AND version = ANY($3)`, [
    tenant,
    name,
    versions,
  ]);
  return r.rows.map((row) => str(row["version"]));
}

/** Create the model row (or touch it) and insert the versions. Call inside a transaction. */
export async function insertModel(db: Db, input: RegisterModelInput, actor: string): Promise<void> {
  await db.query(
    `INSERT INTO models (tenant, name) VALUES ($1, $2)
     ON CONFLICT (tenant, name) DO UPDATE SET updated_at = now()`,
    [input.tenant, input.name],
  );
  for (const v of input.versions) {
    await db.query(
      `INSERT INTO model_versions
         (tenant, name, version, artifact_uri, precision, parameters_billions, parameters_source, architecture, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        input.tenant,
        input.name,
        v.version,
        v.artifactUri,
        v.precision,
        v.parametersBillions,
        v.parametersSource,
        JSON.stringify(v.architecture),
        actor,
      ],
    );
  }
}

async function versionsOf(db: Db, tenant: string, names: string[]): Promise<Map<string, ModelVersion[]>> {
  const r = await db.query(
    `SELECT * FROM model_versions WHERE tenant = $1 AND name = ANY($2) ORDER BY created_at, version`,
    [tenant, names],
  );
  const out = new Map<string, ModelVersion[]>();
  for (const row of r.rows) {
    const name = str(row["name"]);
    const list = out.get(name) ?? [];
    list.push(toVersion(row));
    out.set(name, list);
  }
  return out;
}

export async function findModel(db: Db, tenant: string, name: string): Promise<RegisteredModel | null> {
  const r = await db.query(`SELECT * FROM models WHERE tenant = $1 AND name = $2`, [tenant, name]);
  const row = r.rows[0];
  if (!row) return null;
  return toModel(row, (await versionsOf(db, tenant, [name])).get(name) ?? []);
}

export async function listModels(db: Db, tenant: string, limit: number): Promise<RegisteredModel[]> {
  const r = await db.query(`SELECT * FROM models WHERE tenant = $1 ORDER BY name LIMIT $2`, [tenant, limit]);
  const versions = await versionsOf(
    db,
    tenant,
    r.rows.map((row) => str(row["name"])),
  );
  return r.rows.map((row) => toModel(row, versions.get(str(row["name"])) ?? []));
}
