/**
 * `GET /v1/recommendations`: the re-quote sweeps' standing recommendations, biggest saving first.
 * A tenant's key sees its own tenant's; a platform-admin sees every tenant's, or `?tenant=`.
 * A recommendation for a destroyed deployment is never listed.
 */
import { defineEndpoint } from "../endpoint";
import { ForbiddenError } from "../errors";
import { keyScope } from "../key-access";
import { RecommendationListSchema, RecommendationsQuery } from "../requote-schemas";

export const listRecommendations = defineEndpoint({
  method: "get",
  path: "/v1/recommendations",
  summary: "Cheaper placements the re-quote sweeps found for live deployments (USD/month, with the catalog version)",
  tags: ["costs"],
  role: "viewer",
  query: RecommendationsQuery,
  responses: { 200: { description: "Recommendations, biggest saving first", schema: RecommendationListSchema } },
  async handle({ query, principal, deps }) {
    const scope = keyScope(principal);
    if (scope !== undefined && query.tenant !== undefined && query.tenant !== scope) {
      throw new ForbiddenError(
        `a tenant key sees its own tenant's recommendations only ("${scope}"), not "${query.tenant}"`,
      );
    }
    const tenant = scope ?? query.tenant;
    const items = await deps.controlPlane.listRecommendations({
      limit: query.limit,
      ...(tenant !== undefined ? { tenant } : {}),
    });
    return { status: 200, body: { items } };
  },
});
