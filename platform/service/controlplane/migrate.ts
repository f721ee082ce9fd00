/**
 * The control plane's side of re-quote and migration: the re-quote service (sweeps, schedule),
 * requesting a blue/green migration (`POST /v1/deployments/:id/migrate`) and aborting one. The
 * migration itself runs on a worker as an operation of kind `migrate` (../worker/migration.ts), so
 * it is exclusive with every other operation on the deployment (409 while one is in flight).
 */
import { randomUUID } from "node:crypto";
import { ConflictError, NotFoundError } from "../../core/errors";
import type { Footprint } from "../../core/footprint";
import type { Placement } from "../../core/placement";
import { ValidationError } from "../../core/validation";
import { parseDeploymentSpec } from "../../../programs/deployment/spec";
import type { AppConfig } from "../config";
import type { OperationQueue } from "../queue/queue";
import { readCatalogSource } from "../requote/catalog-source";
import { priceExplicit, sameOffer } from "../requote/requote";
import { RequoteService } from "../requote/service";
import { audit } from "../store/audit";
import type { Db } from "../store/db";
import * as deployments from "../store/deployments";
import { appendEvent } from "../store/events";
import { highestGeneration, insertMigration, setMigrationStep } from "../store/migrations";
import { getRecommendation, listRecommendations } from "../store/recommendations";
import type {
  Deployment,
  DeploymentEvent,
  MigrationAccepted,
  MigrationTarget,
  RequoteContextInput,
  Recommendation,
  RequoteReport,
} from "../types";

export class Migrations {
  readonly requote: RequoteService;
  private context: RequoteContextInput = {};
  private footprintFromConfig: Promise<Footprint | undefined> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly db: Db,
    private readonly queue: OperationQueue,
    private readonly publish: (e: DeploymentEvent) => void,
    private readonly abortLocal: (operationId: string) => void,
  ) {
    this.requote = new RequoteService({
      db,
      bossSchema: queue.schema,
      settings: {
        catalogFile: config.catalogFile,
        cron: config.requote.cron,
        thresholds: { minSavingPct: config.requote.minSavingPct, minSavingUsd: config.requote.minSavingUsd },
        catalogPollSeconds: config.requote.catalogPollSeconds,
      },
      footprint: () => this.footprint(),
      policy: (env) => this.context.policy?.(env),
    });
  }

  configure(context: RequoteContextInput): void {
    this.context = context;
  }

  /** The footprint given at the edge, else the platform config file's (read once), else none. */
  private footprint(): Promise<Footprint | undefined> {
    if (this.context.footprint) return Promise.resolve(this.context.footprint);
    const source = this.config.footprintSource;
    if (source.kind !== "config") return Promise.resolve(undefined);
    return (this.footprintFromConfig ??= import("../../../programs/platform/footprint").then((m) =>
      m.footprintFromConfigFile(source.file),
    ));
  }

  sweep(tenant?: string): Promise<RequoteReport> {
    return this.requote.sweep(tenant !== undefined ? { tenant } : {});
  }

  list(tenant: string | undefined, limit: number): Promise<Recommendation[]> {
    return listRecommendations(this.db, { limit, ...(tenant !== undefined ? { tenant } : {}) });
  }

  async request(d: Deployment, target: MigrationTarget, actor: string): Promise<MigrationAccepted> {
    const busy = await deployments.inFlightOperation(this.db, d.tenant, d.id);
    if (busy) {
      throw new ConflictError(
        `a ${busy.kind} operation is ${busy.status} on this deployment's stack; wait for it (or cancel it) and migrate then`,
      );
    }
    if (d.status !== "ready" && d.status !== "simulated" && d.status !== "unverified") {
      throw new ConflictError(
        `deployment is ${d.status}; only an applied (ready, unverified or simulated) deployment migrates`,
      );
    }
    if (d.spec.rollout) {
      throw new ConflictError(
        `a ${d.spec.rollout.strategy} rollout is in progress on this deployment; promote or abort it, then migrate`,
      );
    }
    const to = await this.resolve(d, target);
    if (sameOffer(to.placement, d.placement)) {
      throw new ValidationError("placement", "the deployment already runs on that offer; pick another placement");
    }
    let toSpec;
    try {
      // The next stack generation: its objects get names of their own, so on the same cluster the
      // new stack comes up beside the old one instead of colliding with it (programs/deployment/spec.ts).
      // Past every generation an earlier migration used: a failed one may have left its stack behind.
      const generation = Math.max(d.spec.generation, await highestGeneration(this.db, d.id)) + 1;
      const { handoff: _handoff, ...fromSpec } = d.spec;
      void _handoff;
      toSpec = parseDeploymentSpec({ ...fromSpec, placement: to.placement, generation });
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(`placement (${err.field})`, err.message);
      throw err;
    }
    const operationId = randomUUID();
    const toStack = `${d.stackName.replace(/-m[0-9a-f]{6}$/, "")}-m${operationId.slice(0, 6)}`;
    await this.checkOverlap(d, toSpec, toStack);
    const event = await this.db.transaction(async (tx) => {
      await deployments.insertOperation(tx, {
        id: operationId,
        deploymentId: d.id,
        tenant: d.tenant,
        kind: "migrate",
        actor,
      });
      await insertMigration(tx, {
        operationId,
        deploymentId: d.id,
        tenant: d.tenant,
        recommendationId: to.recommendationId,
        fromStack: d.stackName,
        toStack,
        fromSpec: d.spec,
        toSpec,
        toPlacement: to.placement,
        toMonthlyUsd: to.monthlyUsd,
        catalogVersion: to.catalogVersion,
      });
      const jobId = await this.queue.send({ operationId, stackName: toStack }, tx);
      await deployments.setOperationJob(tx, operationId, jobId);
      await audit(tx, {
        actor,
        tenant: d.tenant,
        action: "deployment.migrate",
        target: d.id,
        details: { toStack, placement: to.placement, monthlyUsd: to.monthlyUsd, recommendationId: to.recommendationId },
      });
      const p = to.placement;
      return appendEvent(tx, {
        deploymentId: d.id,
        operationId,
        type: "log",
        data: {
          message: `migration requested: ${d.stackName} → ${toStack} on ${p.cloud} ${p.region} ${p.instanceType} (${p.capacity}), $${to.monthlyUsd.toFixed(2)}/month (USD, catalog ${to.catalogVersion})`,
          migration: { step: "requested", from: d.stackName, to: toStack },
        },
      });
    });
    this.publish(event);
    this.queue.wake();
    return {
      deployment: d,
      migration: {
        operationId,
        fromStack: d.stackName,
        toStack,
        placement: to.placement,
        monthlyUsd: to.monthlyUsd,
        currency: "USD",
        catalogVersion: to.catalogVersion,
        recommendationId: to.recommendationId,
      },
    };
  }

  /**
   * Refuse a migration whose new stack would write an object the old stack writes (409, listing
   * them): its `pulumi up` would fail on "already exists", or the old stack's destroy would delete
   * what the new one serves with. Both specs are planned offline against the platform's footprint;
   * without a footprint there is nothing to plan against, and the check is skipped.
   */
  private async checkOverlap(d: Deployment, toSpec: Deployment["spec"], toStack: string): Promise<void> {
    const footprint = await this.footprint();
    if (!footprint) return;
    const { planMigrationOverlaps } = await import("../plan/preflight");
    const overlaps = await planMigrationOverlaps(
      { spec: d.spec, stack: d.stackName },
      { spec: toSpec, stack: toStack },
      { footprint },
    );
    if (overlaps.length === 0) return;
    const shown = overlaps.slice(0, 5).map((o) => o.object);
    throw new ConflictError(
      `the new stack ${toStack} would write ${overlaps.length} object(s) the old stack ${d.stackName} writes (${shown.join("; ")}${overlaps.length > shown.length ? "; …" : ""}); migrating would fail or delete what serves. Redeploy the deployment (PATCH) so its spec is current, then migrate`,
    );
  }

  private async resolve(
    d: Deployment,
    target: MigrationTarget,
  ): Promise<{ placement: Placement; monthlyUsd: number; catalogVersion: string; recommendationId: string | null }> {
    if ("recommendationId" in target) {
      const rec = deployments.isUuid(target.recommendationId)
        ? await getRecommendation(this.db, d.tenant, target.recommendationId)
        : null;
      if (!rec) throw new NotFoundError(`recommendation ${target.recommendationId}`);
      if (rec.deploymentId !== d.id) {
        throw new ValidationError(
          "recommendationId",
          `recommendation ${rec.id} is for deployment ${rec.deploymentId}, not ${d.id}`,
        );
      }
      return {
        placement: rec.proposed.placement,
        monthlyUsd: rec.proposed.monthlyUsd,
        catalogVersion: rec.catalogVersion,
        recommendationId: rec.id,
      };
    }
    const { catalog } = readCatalogSource(this.config.catalogFile);
    const placement = priceExplicit(d.spec, catalog, await this.footprint(), target.placement);
    return { placement, monthlyUsd: placement.monthlyUsd, catalogVersion: catalog.version, recommendationId: null };
  }

  /** Abort the in-flight migration: a queued one never starts; a running one rolls back before the route shift. */
  async abort(d: Deployment, actor: string): Promise<void> {
    const op = await deployments.inFlightOperation(this.db, d.tenant, d.id);
    if (!op || op.kind !== "migrate") throw new ConflictError("no migration is queued or running on this deployment");
    await audit(this.db, {
      actor,
      tenant: d.tenant,
      action: "deployment.migrate.abort",
      target: d.id,
      details: { operationId: op.id },
    });
    await deployments.requestCancel(this.db, op.id);
    const info = {
      code: "cancelled",
      message: "migration aborted by request before it started; the old stack keeps serving",
    };
    const event = await this.db.transaction(async (tx) => {
      if (!(await deployments.cancelQueuedOperation(tx, op.id, info))) return null;
      await setMigrationStep(tx, op.id, "rolled-back");
      return appendEvent(tx, {
        deploymentId: d.id,
        operationId: op.id,
        type: "summary",
        data: { kind: "migrate", result: "aborted", error: info },
      });
    });
    if (event) {
      this.publish(event);
      if (op.jobId) await this.queue.cancel(op.jobId).catch(() => undefined);
    } else {
      this.abortLocal(op.id);
    }
  }
}
