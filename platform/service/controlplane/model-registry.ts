/** The tenant model registry: versions are immutable, a version stored twice is a 409. */
import { ConflictError, NotFoundError } from "../../core/errors";
import { audit } from "../store/audit";
import type { Db } from "../store/db";
import * as models from "../store/models";
import type { RegisteredModel, RegisterModelInput } from "../types";

export async function registerModel(db: Db, input: RegisterModelInput, actor: string): Promise<RegisteredModel> {
  const taken = (v: string): ConflictError =>
    new ConflictError(
      `model "${input.name}" already has version "${v}"; versions are immutable, register a new version`,
    );
  try {
    await db.transaction(async (tx) => {
      const stored = await models.existingVersions(
        tx,
        input.tenant,
        input.name,
        input.versions.map((v) => v.version),
      );
      if (stored[0] !== undefined) throw taken(stored[0]);
      await models.insertModel(tx, input, actor);
      await audit(tx, { actor, tenant: input.tenant, action: "model.register", target: input.name });
    });
  } catch (e) {
    // Two requests adding the same version at once: the primary key decides, the loser gets a 409.
    if ((e as { code?: unknown }).code === "23505") throw taken(input.versions.map((v) => v.version).join(", "));
    throw e;
  }
  return getModel(db, input.tenant, input.name);
}

export function listModels(db: Db, tenant: string, options: { limit: number }): Promise<RegisteredModel[]> {
  return models.listModels(db, tenant, options.limit);
}

export async function getModel(db: Db, tenant: string, name: string): Promise<RegisteredModel> {
  const m = await models.findModel(db, tenant, name);
  if (!m) throw new NotFoundError(`model "${name}"`);
  return m;
}
