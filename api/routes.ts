/**
 * Every route of the API, in one place. Each endpoint lives in its own file under endpoints/;
 * `app.ts` mounts this list and `openapi.ts` documents it.
 */
import type { Endpoint } from "./endpoint";
import { cancelDeployment } from "./endpoints/cancel-deployment";
import { createApiKey } from "./endpoints/create-api-key";
import { createDeployment } from "./endpoints/create-deployment";
import { createQuote } from "./endpoints/create-quote";
import { deleteDeployment } from "./endpoints/delete-deployment";
import { deploymentEvents } from "./endpoints/deployment-events";
import { getDeployment } from "./endpoints/get-deployment";
import { getModel } from "./endpoints/get-model";
import { healthz } from "./endpoints/healthz";
import { listApiKeys } from "./endpoints/list-api-keys";
import { listCosts } from "./endpoints/list-costs";
import { listDeployments } from "./endpoints/list-deployments";
import { listModels } from "./endpoints/list-models";
import { metrics } from "./endpoints/metrics";
import { openapi } from "./endpoints/openapi";
import { readyz } from "./endpoints/readyz";
import { registerModel } from "./endpoints/register-model";
import { revokeApiKey } from "./endpoints/revoke-api-key";
import { updateDeployment } from "./endpoints/update-deployment";
import { listRecommendations } from "./endpoints/list-recommendations";
import { adminRequote } from "./endpoints/admin-requote";
import { migrateDeployment } from "./endpoints/migrate-deployment";
import { abortMigration } from "./endpoints/abort-migration";

export function buildRoutes(): Endpoint[] {
  return [
    healthz,
    readyz,
    metrics,
    openapi,
    createQuote,
    createDeployment,
    listDeployments,
    getDeployment,
    updateDeployment,
    deleteDeployment,
    deploymentEvents,
    cancelDeployment,
    createApiKey,
    listApiKeys,
    revokeApiKey,
    listCosts,
    registerModel,
    listModels,
    getModel,
    listRecommendations,
    adminRequote,
    migrateDeployment,
    abortMigration,
  ];
}
