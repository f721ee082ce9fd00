/**
 * The serving side of a cluster deployment: one ModelService per serving revision, and the model's
 * route through the cluster's gateway (issue 14).
 *
 * - Without a rollout one revision serves (the spec's `revision`) at weight 100.
 * - During a rollout (`spec.rollout`) both run side by side: the spec's revision (new model/server)
 *   at `rollout.weight` and `rollout.stable` at `100 - weight`; the HTTPRoute splits by backendRef
 *   weight. Blue/green is the same at weight 0, then promote (the spec without `rollout`, at the new
 *   revision) or abort (the spec back to the stable revision). Resource and Kubernetes names are a
 *   function of the revision (revision 1 keeps the old names), so promote and abort delete only the
 *   revision that leaves and never replace the one that stays.
 * - Endpoint outputs: `endpoint` is the gateway's `https://…/<namespace>/<service>/v1` when the
 *   platform installs a gateway on the cluster; without one there is no `endpoint` (never an
 *   invented URL) and `endpointReason` says why. `inClusterEndpoint` is always the in-cluster URL.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { ValidationError } from "../../platform/core/validation";
import { ModelService, planModelService, type ModelServiceArgs } from "../../components/ModelService";
import type { ModelServicePlan } from "../../components/modelServicePlan";
import { ModelRoute } from "../../components/ModelRoute";
import { revisionWeights, type RevisionTarget } from "../../providers/kubernetes/model-route";
import type { DeploymentSpec, Handoff } from "./spec";
import type { PlatformCluster } from "./platform-ref";

/** One revision to run: its serving spec and its share of the traffic. */
export interface ServingRevision {
  revision: number;
  weight: number;
  /** `new` is the spec's own revision during a rollout, `stable` the one before; `serving` without a rollout. */
  role: "serving" | "new" | "stable";
  model: DeploymentSpec["model"];
  server: DeploymentSpec["server"];
}

/** Pulumi name of a revision's ModelService: revision 1 keeps `base`, revision N is `<base>-r<N>`. */
export function revisionResourceName(base: string, revision: number): string {
  return revision === 1 ? base : `${base}-r${revision}`;
}

/**
 * The revisions a spec runs, the spec's own first. Pure. A rollout keeps the model's name: it is
 * the OpenAI `model` clients send and the route's path, so a canary under another name would answer
 * its share of requests with 404.
 */
export function planRevisions(spec: DeploymentSpec): ServingRevision[] {
  const r = spec.rollout;
  if (!r) return [{ revision: spec.revision, weight: 100, role: "serving", model: spec.model, server: spec.server }];
  if (r.stable.model.name !== spec.model.name) {
    throw new ValidationError(
      "rollout.stable.model.name",
      `"${r.stable.model.name}" differs from model.name "${spec.model.name}"; a rollout keeps the served model name (clients' \`model\` and the endpoint path): change model.version, model.source or server.image instead, or create a new deployment`,
    );
  }
  const [fresh, stable] = revisionWeights(spec.revision, { weight: r.weight, stableRevision: r.stable.revision });
  return [
    { revision: spec.revision, weight: fresh?.weight ?? 0, role: "new", model: spec.model, server: spec.server },
    {
      revision: r.stable.revision,
      weight: stable?.weight ?? 0,
      role: "stable",
      model: r.stable.model,
      server: r.stable.server,
    },
  ];
}

/** Why a cluster deployment has no external endpoint (the platform installs no gateway there). */
export function noGatewayReason(spec: DeploymentSpec, out: PlatformCluster): string {
  return `the platform stack "${spec.platformStack}" installs no gateway on cluster "${out.name}" (${out.cloud} ${out.region}), so the model is reachable only inside the cluster at inClusterEndpoint; enable modelplane:gateway on the platform and redeploy to get an https endpoint`;
}

export interface ServeArgs {
  spec: DeploymentSpec;
  /** Base of the stack's resource names. */
  base: string;
  out: PlatformCluster;
  /** The ModelService args of the spec's revision (model/server fields are replaced per revision). */
  svcArgs: ModelServiceArgs;
  /** The artifact URI of a revision's model. */
  modelUriOf: (model: DeploymentSpec["model"]) => string;
  /**
   * Binds one revision's ServiceAccount to the store reader; returns what its pods must wait for.
   * `after` is the previous revision's binding: the bindings of a stack are written one at a time
   * (Azure refuses concurrent credential writes on one identity; see `bindWorkloadIdentity`).
   */
  bind: (
    revision: number,
    serviceAccount: string,
    namespace: string,
    after: pulumi.Resource | undefined,
  ) => pulumi.Resource | undefined;
  k8sProvider: k8s.Provider;
  /** Secret with a Hugging Face token, given to revisions whose model is `hf://`. */
  hfTokenSecretName?: string;
}

/** What the program exports about serving. */
export interface Served {
  /** The spec's own revision's ModelService. */
  primary: ModelService;
  namespace: pulumi.Output<string>;
  /** The gateway path's `<service>` (the unsuffixed Service name of revision 1). */
  serviceName: string;
  endpoint?: pulumi.Output<string>;
  endpointReason?: string;
  inClusterEndpoint: pulumi.Output<string>;
  revisions: Array<{ revision: number; weight: number; role: ServingRevision["role"]; serviceName: string }>;
  /**
   * How long the control plane waits for the revisions to serve after `up` (issue 12, #1): the
   * slowest revision's rollout timeout, sized from its weights (`rolloutTimeoutSeconds`).
   */
  readinessTimeoutSeconds: number;
  route?: { name: string; pathPrefix: string; wakeWindowSeconds?: number; wakeWindowCapped?: boolean };
}

/**
 * The route's backends during a migration's handoff (spec.handoff): this stack's revision at
 * `100 - weight` and the same revision of the new stack generation at `weight`. The new
 * generation's Service (and, when it scales to zero, its wake host) is computed from the same
 * ModelService plan with the new generation, so it is the name the new stack created. Pure.
 */
export function handoffTargets(
  own: readonly RevisionTarget[],
  plan: ModelServicePlan,
  handoff: Handoff,
  svcArgs: ModelServiceArgs,
): RevisionTarget[] {
  const mine = own[0];
  if (own.length !== 1 || !mine)
    throw new ValidationError("handoff", "a route handoff cannot run during a rollout; promote or abort it first");
  const next = planModelService({ ...svcArgs, revision: plan.revision, generation: handoff.generation });
  return [
    { ...mine, weight: 100 - handoff.weight },
    {
      revision: plan.revision,
      service: next.serviceName,
      weight: handoff.weight,
      ...(next.wakeHost !== undefined ? { wakeHost: next.wakeHost } : {}),
    },
  ];
}

/** Register one ModelService per serving revision and, when the cluster has a gateway, the route. */
export function serveOnCluster(a: ServeArgs): Served {
  const { spec, out } = a;
  const revisions = planRevisions(spec);
  if (spec.rollout && !out.gateway) {
    throw new ValidationError(
      "rollout",
      `a rollout splits traffic at the cluster's gateway, but ${noGatewayReason(spec, out)}`,
    );
  }
  let lastBinding: pulumi.Resource | undefined;
  const services = revisions.map((rev) => {
    const args: ModelServiceArgs = {
      ...a.svcArgs,
      revision: rev.revision,
      modelName: rev.model.name,
      modelUri: a.modelUriOf(rev.model),
      parametersBillions: rev.model.parametersBillions,
      precision: rev.model.precision,
      contextTokens: rev.model.contextTokens,
      serverKind: rev.server.kind,
      ...(rev.server.image !== undefined ? { image: rev.server.image } : {}),
    };
    if (rev.server.image === undefined) delete args.image;
    delete args.hfTokenSecretName;
    if (args.modelUri.startsWith("hf://") && a.hfTokenSecretName !== undefined)
      args.hfTokenSecretName = a.hfTokenSecretName;
    const plan = planModelService(args);
    const binding = a.bind(rev.revision, plan.serviceName, plan.namespace, lastBinding);
    if (binding) lastBinding = binding;
    const svc = new ModelService(revisionResourceName(a.base, rev.revision), args, {
      providers: [a.k8sProvider],
      ...(binding ? { dependsOn: [binding] } : {}),
    });
    return { rev, svc, plan };
  });
  const primary = services[0];
  if (!primary) throw new Error("unreachable: a spec serves at least one revision");
  const served: Served = {
    primary: primary.svc,
    namespace: primary.svc.namespace,
    serviceName: primary.plan.routeName,
    inClusterEndpoint: primary.svc.endpoint,
    readinessTimeoutSeconds: Math.max(...services.map((s) => s.plan.rolloutTimeoutSeconds)),
    revisions: services.map(({ rev, plan }) => ({
      revision: rev.revision,
      weight: rev.weight,
      role: rev.role,
      serviceName: plan.serviceName,
    })),
  };
  if (!out.gateway) return { ...served, endpointReason: noGatewayReason(spec, out) };

  const own: RevisionTarget[] = services.map(({ rev, plan }) => ({
    revision: rev.revision,
    service: plan.serviceName,
    weight: rev.weight,
    ...(plan.wakeHost !== undefined ? { wakeHost: plan.wakeHost } : {}),
  }));
  const targets = spec.handoff ? handoffTargets(own, primary.plan, spec.handoff, a.svcArgs) : own;
  const route = new ModelRoute(
    `${a.base}-route`,
    {
      namespace: primary.plan.namespace,
      service: primary.plan.routeName,
      name: primary.plan.instanceName,
      gateway: out.gateway,
      targets,
      // The slowest revision to wake bounds the window.
      coldStartSeconds: Math.max(...services.map((s) => s.plan.rolloutTimeoutSeconds)),
      tags: a.svcArgs.tags ?? {},
    },
    { providers: [a.k8sProvider], dependsOn: services.map((s) => s.svc) },
  );
  const wake = route.plan.wake;
  return {
    ...served,
    endpoint: route.url,
    route: {
      name: route.plan.route.metadata.name,
      pathPrefix: route.plan.pathPrefix,
      ...(wake ? { wakeWindowSeconds: wake.seconds, wakeWindowCapped: wake.cappedByInterceptor } : {}),
    },
  };
}
