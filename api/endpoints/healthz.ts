/** `GET /healthz`: the process is up and serving HTTP (liveness; touches nothing else). */
import { defineEndpoint } from "../endpoint";
import { HealthSchema } from "../schemas";

export const healthz = defineEndpoint({
  method: "get",
  path: "/healthz",
  summary: "Liveness: the API process is serving",
  tags: ["operations"],
  role: null,
  responses: { 200: { description: "Alive", schema: HealthSchema } },
  async handle() {
    return { status: 200, body: { status: "ok" } };
  },
});
