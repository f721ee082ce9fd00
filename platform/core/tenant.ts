/**
 * Tenant names. A tenant owns one Kubernetes namespace (`mp-<tenant>`, components/ModelService.ts
 * `namespaceFor`), its stacks are prefixed with it, and its keys and deployments are filtered by it,
 * so the name must map to exactly one namespace and back: lowercase alphanumeric words joined by
 * single dashes. `team-a-` and `team--a` would both fold to `mp-team-a`, the namespace of `team-a`.
 */
import { slug } from "./naming";
import { ValidationError } from "./validation";

export const TENANT_MAX = 40;
export const TENANT_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const TENANT_RULE = `1-${TENANT_MAX} characters: lowercase letters and digits in words joined by single dashes (team-a)`;

/** The namespace a tenant's models run in; one-to-one for valid tenant names. */
export function tenantNamespace(tenant: string): string {
  return `mp-${slug(tenant).slice(0, 60).replace(/-+$/g, "")}`;
}

/** Throw a ValidationError on `field` unless `tenant` is a valid tenant name. */
export function checkTenantName(tenant: string, field = "tenant"): string {
  if (tenant.length === 0 || tenant.length > TENANT_MAX || !TENANT_PATTERN.test(tenant)) {
    const hint = slug(tenant);
    const suggestion = hint && hint !== tenant && TENANT_PATTERN.test(hint) ? `; did you mean "${hint}"?` : "";
    throw new ValidationError(field, `"${tenant.slice(0, 60)}" is not a tenant name: ${TENANT_RULE}${suggestion}`);
  }
  return tenant;
}
