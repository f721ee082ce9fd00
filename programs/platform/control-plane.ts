/**
 * The platform program's control plane (`modelplane:controlPlane`): a `ControlPlane` on the chosen
 * managed cluster, attached to that cluster's gateway when the platform installs one.
 */
import * as pulumi from "@pulumi/pulumi";
import { ControlPlane } from "../../components/ControlPlane";
import type { GpuCluster } from "../../components/GpuCluster";
import { ValidationError } from "../../platform/core/validation";
import type { ClusterEntryPlan, PlatformConfig } from "./config";
import { controlPlaneArgs, underControlPlane } from "./control-plane-config";
import { planClusterGateway } from "./gateway-config";
import type { GatewayOutput } from "./outputs";
import type { ClusterOutputValue } from "./program";

export function addControlPlane(
  config: PlatformConfig,
  plans: ClusterEntryPlan[],
  clusters: GpuCluster[],
  outputs: Record<string, ClusterOutputValue>,
): ControlPlane | undefined {
  const c = config.controlPlane;
  if (!c) return undefined;
  const managed = plans.filter((p) => p.kind === "managed");
  const plan = c.cluster === undefined ? managed[0] : managed.find((p) => p.name === c.cluster);
  const cluster = plan ? clusters[managed.indexOf(plan)] : undefined;
  if (!plan || plan.kind !== "managed" || !cluster)
    throw new ValidationError(
      "modelplane:controlPlane.cluster",
      `${c.cluster === undefined ? "no managed cluster to run on" : `"${c.cluster}" is not a managed cluster of modelplane:clouds`}; managed clusters: ${managed.map((p) => p.name).join(", ") || "none"}`,
    );
  const gateway = outputs[plan.name]?.gateway;
  const stackIdentities = stackIdentitiesOf(cluster, outputs[plan.name]);
  checkApiHostname(config, plan.name);
  const controlPlane = underControlPlane(
    () =>
      new ControlPlane(
        `${plan.resourceBase}-control-plane`,
        {
          ...controlPlaneArgs(c),
          cloud: plan.config.cloud,
          region: plan.config.region,
          kubernetes: cluster.provider,
          clusterName: cluster.ref.clusterName,
          ...(cluster.ref.subnetIds !== undefined ? { clusterSubnetIds: cluster.ref.subnetIds } : {}),
          ...(stackIdentities.length > 0 ? { stackIdentities } : {}),
          ...(gateway !== undefined ? { gateway: pulumi.output(gateway as pulumi.Input<GatewayOutput>) } : {}),
          platformStack: `${organization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
          deletionProtection: config.deletionProtection,
          ...(plan.config.project !== undefined ? { project: plan.config.project } : {}),
          ...(cluster.ref.resourceGroupName !== undefined ? { resourceGroupName: cluster.ref.resourceGroupName } : {}),
          ...(config.owner !== undefined ? { owner: config.owner } : {}),
          ...(config.costCenter !== undefined ? { costCenter: config.costCenter } : {}),
          tags: config.tags,
        },
        { dependsOn: [cluster] },
      ),
  );
  exportStackRoleBoundary(controlPlane, plan.config.cloud, plans, outputs);
  return controlPlane;
}

/**
 * The boundary the workers' rights enforce (a per-account IAM policy on AWS), on every managed
 * cluster of the control plane's cloud: the workers create the roles of model stacks placed on any
 * of them (serverless endpoints are not bound to the cluster). Clusters of that cloud in another
 * account would need a boundary of their own there; the platform uses one account per cloud.
 */
function exportStackRoleBoundary(
  controlPlane: ControlPlane,
  cloud: string,
  plans: ClusterEntryPlan[],
  outputs: Record<string, ClusterOutputValue>,
): void {
  const boundary = controlPlane.stackRoleBoundary;
  if (boundary === undefined) return;
  for (const p of plans) {
    const out = outputs[p.name];
    if (p.kind === "managed" && p.config.cloud === cloud && out) out.stackRoleBoundaryArn = boundary;
  }
}

/**
 * The identities the per-model stacks hand to the cloud that this platform created: the cluster's
 * node role (AWS node groups) and the store's reader (AWS role / GCP service account). The
 * control plane's pods may pass these and no other.
 */
function stackIdentitiesOf(cluster: GpuCluster, output: ClusterOutputValue | undefined): pulumi.Input<string>[] {
  const out: pulumi.Input<string>[] = [];
  if (cluster.ref.nodeRoleArn !== undefined) out.push(cluster.ref.nodeRoleArn);
  if (output?.store !== undefined) out.push(pulumi.output(output.store).apply((s) => s?.readerIdentity ?? ""));
  return out;
}

/** The stack's organization; `organization`, the name self-managed backends use, when the engine gives none. */
function organization(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "organization";
  }
}

/**
 * With `modelplane:gateway.dnsZone`, the gateway's HTTPS listener serves one hostname,
 * `<cluster>.<dnsZone>`, and its certificate names only that: an HTTPRoute for another hostname is
 * not admitted (Gateway API: a route attaches only where its hostnames intersect the listener's,
 * https://gateway-api.sigs.k8s.io/reference/spec/#httproutespec, read 2026-12-01), and the same
 * hostname would put the API's `/` beside the models' paths. Refuse both before apply.
 */
function checkApiHostname(config: PlatformConfig, clusterName: string): void {
  const hostname = config.controlPlane?.hostname;
  if (hostname === undefined || !config.gateway.enabled) return;
  const listener = planClusterGateway(config.gateway, clusterName).hostname;
  if (listener === undefined) return;
  throw new ValidationError(
    "modelplane:controlPlane.hostname",
    `"${hostname}" cannot be served: the gateway of ${clusterName} serves only ${listener} (modelplane:gateway.dnsZone) and its certificate names only that; remove hostname to serve the API at https://${listener}/_modelplane`,
  );
}
