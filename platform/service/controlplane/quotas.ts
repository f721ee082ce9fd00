/**
 * Per-tenant quotas, checked when a deployment is created or updated: the count of live
 * deployments (MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT) and their estimated monthly spend together
 * (the policy config's `tenant-monthly-spend.monthlyUsd`). What this process is admitting right
 * now counts too, so concurrent requests cannot all pass on the same stored totals. Several
 * replicas admitting at the same instant may each pass once: the limits are guards, not ledgers.
 */
import { QuotaExceededError } from "../../core/errors";
import type { Db } from "../store/db";
import { countLiveDeployments, liveMonthlySpend } from "../store/quotas";

export interface QuotaLimits {
  /** Live (not destroyed) deployments per tenant. */
  maxDeploymentsPerTenant: number;
  /** A tenant's monthly spend limit in USD; undefined: no limit. */
  monthlySpendLimitUsd?: (tenant: string) => number | undefined;
}

/** What a request adds: one more deployment (create) or none (update), and its estimated month. */
export interface QuotaClaim {
  tenant: string;
  /** True for a new deployment. */
  newDeployment: boolean;
  /** The estimate this request sets. */
  monthlyUsd: number;
  /** The deployment an update replaces the estimate of. */
  replacing?: string;
}

const usd = (n: number): string => `$${n.toFixed(2)}`;

export class TenantQuotas {
  /** Per tenant: deployments and USD/month being admitted right now. */
  private readonly pending = new Map<string, { count: number; usd: number }>();

  constructor(
    private readonly db: Db,
    private readonly limits: QuotaLimits,
  ) {}

  /**
   * Run `admit` if the claim fits the tenant's quotas, counting it as pending meanwhile.
   * `replay` is asked first when a quota is used up (an idempotent retry is not new work).
   */
  async within<T>(claim: QuotaClaim, admit: () => Promise<T>, replay?: () => Promise<T | null>): Promise<T> {
    const mine = { count: claim.newDeployment ? 1 : 0, usd: claim.monthlyUsd };
    const before = this.pending.get(claim.tenant) ?? { count: 0, usd: 0 };
    this.pending.set(claim.tenant, { count: before.count + mine.count, usd: before.usd + mine.usd });
    try {
      const refusal = await this.refusal(claim, before);
      if (refusal) {
        const replayed = replay ? await replay() : null;
        if (replayed !== null) return replayed;
        throw refusal;
      }
      return await admit();
    } finally {
      const now = this.pending.get(claim.tenant) ?? mine;
      const left = { count: now.count - mine.count, usd: now.usd - mine.usd };
      if (left.count <= 0 && left.usd <= 1e-9) this.pending.delete(claim.tenant);
      else this.pending.set(claim.tenant, left);
    }
  }

  private async refusal(
    claim: QuotaClaim,
    pending: { count: number; usd: number },
  ): Promise<QuotaExceededError | undefined> {
    const { tenant } = claim;
    if (claim.newDeployment) {
      const limit = this.limits.maxDeploymentsPerTenant;
      if ((await countLiveDeployments(this.db, tenant)) + pending.count >= limit) {
        return new QuotaExceededError(
          "MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT",
          `tenant "${tenant}" has ${limit} live deployments, its quota (MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT); destroy one first`,
        );
      }
    }
    const spendLimit = this.limits.monthlySpendLimitUsd?.(tenant);
    if (spendLimit === undefined) return undefined;
    const current = (await liveMonthlySpend(this.db, tenant, claim.replacing)) + pending.usd;
    if (current + claim.monthlyUsd <= spendLimit + 1e-9) return undefined;
    return new QuotaExceededError(
      "tenant-monthly-spend.monthlyUsd",
      `tenant "${tenant}" would spend ${usd(current + claim.monthlyUsd)}/month, above its limit of ${usd(spendLimit)}/month ` +
        `(policy config tenant-monthly-spend.monthlyUsd): its ${claim.replacing ? "other " : ""}live deployments are estimated at ${usd(current)}/month ` +
        `and this request adds ${usd(claim.monthlyUsd)}; destroy or shrink a deployment, or ask for a higher limit`,
    );
  }
}
