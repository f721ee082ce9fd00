/**
 * Who may manage which API keys. Admin keys are tenant-scoped: an `admin` creates, lists and revokes
 * keys of its own tenant only, up to its own role. `platform-admin` works across tenants; only the
 * bootstrap key (MODELPLANE_ADMIN_KEY) may give that role. See docs/security.md.
 */
import type { Role } from "../platform/service/types";
import type { Principal } from "./deps";
import { roleAllows } from "./endpoint";
import { ForbiddenError } from "./errors";

/** The tenant whose keys `principal` may see and revoke; undefined = every tenant. */
export function keyScope(principal: Principal): string | undefined {
  return principal.role === "platform-admin" ? undefined : principal.tenant;
}

/** Throw ForbiddenError unless `principal` may create a key with `role` for `tenant`. */
export function checkGrant(principal: Principal, tenant: string, role: Role): void {
  const scope = keyScope(principal);
  if (scope !== undefined && tenant !== scope) {
    throw new ForbiddenError(
      `an admin key manages keys of its own tenant only ("${scope}"), not "${tenant}"; ask a platform admin`,
    );
  }
  if (role === "platform-admin") {
    if (!principal.bootstrap)
      throw new ForbiddenError("only the bootstrap key (MODELPLANE_ADMIN_KEY) may give the platform-admin role");
    return;
  }
  if (!roleAllows(principal.role, role)) {
    throw new ForbiddenError(`role "${principal.role}" may not give the higher role "${role}"`);
  }
}
