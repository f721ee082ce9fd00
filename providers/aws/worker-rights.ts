/**
 * The AWS rights the control plane's workers need to run the per-model deployment stacks
 * (programs/deployment), as data: one grant per group of calls, each naming the resource types of
 * a deployment stack it serves (the types a recorded run of the program registers; the test
 * `programs/deployment/worker-rights.test.ts` fails when a type has no grant), its IAM actions, its
 * resources and its condition. `workerPolicy` turns them into the pods' role's second inline policy
 * (providers/aws/control-plane.ts).
 *
 * Scope, as narrow as AWS allows (read 2026-12-01):
 * - ARNs name the region, the account and the cluster: node groups and pod identity associations
 *   of that one cluster (`nodegroup/<cluster>/*`, `podidentityassociation/<cluster>/*`), IAM roles
 *   `mp-*` (the stacks' SageMaker execution roles, providers/aws/naming.ts `iamName`), SageMaker
 *   endpoints `mp-*` (`sagemakerName`).
 * - Every resource a deployment stack creates carries the tag `modelplane/deployment-id`
 *   (programs/deployment/program.ts `deploymentTags`); the platform's own resources do not. Creates
 *   require it in the request (`aws:RequestTag/…` not null), changes and deletes require it on the
 *   resource (`aws:ResourceTag/…` not null). So the platform's node groups, roles and launch
 *   templates are out of reach, except through tagging: a worker that may tag on create may also
 *   add the tag to an existing resource in the same ARN scope (AWS evaluates `TagResource` with the
 *   request's tags). Said, not solved.
 * - `iam:PassRole` only for the roles the stacks hand to AWS: the ones the platform names (the
 *   cluster's node role, the store's reader role; `passRoleArns`) and the stacks' own `mp-*`
 *   execution roles, those only to SageMaker (`iam:PassedToService`).
 * - `Describe*`/`List*` calls that take no resource ARN get `*` (EC2 `DescribeLaunchTemplates`,
 *   CloudWatch `DescribeAlarms`, Application Auto Scaling's describe calls).
 * - Roles: a worker creates, writes and attaches policies to `mp-*` roles only when the role
 *   carries the platform's permissions boundary (`iam:PermissionsBoundary`, providers/aws/role-boundary.ts),
 *   may not remove it nor change the boundary policy, and may not change the platform's own roles
 *   (those it passes, and its own) at all. So an admin inline policy on an `mp-*` role is capped
 *   by the boundary. What remains: a worker can create an `mp-*` role trusting itself and act with
 *   the boundary's rights (S3 reads of any bucket, writes to its account's buckets, ECR pulls,
 *   SageMaker logs and metrics), and can tag another platform role named `mp-*` (a platform named
 *   `mp…`) into reach of the tag-conditioned deletes and trust changes (not of its policies).
 *
 * Sources (read 2026-12-01):
 * - Service Authorization Reference, actions, resource types and condition keys:
 *   EKS https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html,
 *   EC2 https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html,
 *   IAM https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html,
 *   SageMaker https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html,
 *   Application Auto Scaling https://docs.aws.amazon.com/service-authorization/latest/reference/list_applicationautoscaling.html,
 *   CloudWatch https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html.
 * - EKS access entries with Kubernetes groups (the pods reach the cluster's API through the
 *   kubeconfig's `aws eks get-token` as this role; RBAC binds the group):
 *   https://docs.aws.amazon.com/eks/latest/userguide/create-k8s-group-access-entry.html.
 * - CreatePodIdentityAssociation needs `iam:PassRole` on the associated role ("The IAM principal
 *   that is creating the association must have iam:PassRole":
 *   https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html, read 2026-12-01).
 * - The SageMaker scaling target's service-linked role is created by Application Auto Scaling on
 *   the first RegisterScalableTarget, with the caller's `iam:CreateServiceLinkedRole` on
 *   `role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/…` and
 *   `iam:AWSServiceName` = that principal:
 *   https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-prerequisites.html and
 *   https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html
 *   (read 2026-12-01).
 * ASSUMPTION (not checked against a real account): CreateNodegroup needs `iam:PassRole` on the node
 * role, and neither it nor CreatePodIdentityAssociation needs anything else of IAM; EKS's
 * CreateNodegroup with a launch template needs no `ec2:RunInstances` of the caller (the node
 * group service-linked role launches:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSServiceRoleForAmazonEKSNodegroup.html).
 */

import { boundaryCondition, boundaryDenies, UNBOUNDED_ROLE_ACTIONS } from "./role-boundary";

/** The tag every resource of a deployment stack carries, and no platform resource does. */
export const DEPLOYMENT_TAG = "modelplane/deployment-id";
/** The Kubernetes group the pods' role is mapped to by its EKS access entry (providers/kubernetes/worker-rbac.ts binds it). */
export const AWS_STACK_WORKERS_GROUP = "modelplane:stack-workers";

/** Where the grants point: the pods' account and region, the cluster, and the roles the stacks pass. */
export interface AwsWorkerScope {
  account: string;
  region: string;
  clusterName: string;
  /** Roles the stacks hand to AWS that the platform created (the cluster's node role, the store's reader role). */
  passRoleArns: readonly string[];
  /** The permissions boundary every `mp-*` role a stack creates carries (providers/aws/role-boundary.ts). */
  boundaryArn: string;
  /** The workers' own role (the pods'), which they may not change; absent in pure checks. */
  selfRoleArn?: string;
}

type Condition = Record<string, Record<string, unknown>>;

export interface AwsGrant {
  sid: string;
  /** Deployment-stack resource types this grant serves (Pulumi type tokens). */
  types: readonly string[];
  actions: readonly string[];
  resources: (s: AwsWorkerScope) => string[];
  /** A condition, or one that depends on the scope (the boundary's ARN). */
  condition?: Condition | ((s: AwsWorkerScope) => Condition);
  source: string;
}

const REF = "https://docs.aws.amazon.com/service-authorization/latest/reference";
const BOUNDARIES = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html";
const requestTagged = { Null: { [`aws:RequestTag/${DEPLOYMENT_TAG}`]: "false" } };
const resourceTagged = { Null: { [`aws:ResourceTag/${DEPLOYMENT_TAG}`]: "false" } };
const arn = (s: AwsWorkerScope, service: string, resource: string) =>
  `arn:aws:${service}:${s.region}:${s.account}:${resource}`;
const eksScoped = (s: AwsWorkerScope) => [
  arn(s, "eks", `cluster/${s.clusterName}`),
  arn(s, "eks", `nodegroup/${s.clusterName}/*/*`),
  arn(s, "eks", `podidentityassociation/${s.clusterName}/*`),
];
const mpRoles = (s: AwsWorkerScope) => [`arn:aws:iam::${s.account}:role/mp-*`];
const sagemaker = (s: AwsWorkerScope) => [
  arn(s, "sagemaker", "model/*"),
  arn(s, "sagemaker", "endpoint-config/*"),
  arn(s, "sagemaker", "endpoint/mp-*"),
];
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const SM = [
  "aws:sagemaker/model:Model",
  "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
  "aws:sagemaker/endpoint:Endpoint",
];
const SCALING = ["aws:appautoscaling/target:Target", "aws:appautoscaling/policy:Policy"];
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

export const AWS_WORKER_GRANTS: readonly AwsGrant[] = [
  {
    sid: "EksCreateTagged",
    types: [NODE_GROUP, POD_IDENTITY],
    actions: ["eks:CreateNodegroup", "eks:CreatePodIdentityAssociation", "eks:TagResource"],
    resources: eksScoped,
    condition: requestTagged,
    source: `${REF}/list_amazonelastickubernetesservice.html`,
  },
  {
    sid: "EksManageTagged",
    types: [NODE_GROUP, POD_IDENTITY],
    actions: [
      "eks:DescribeNodegroup",
      "eks:UpdateNodegroupConfig",
      "eks:UpdateNodegroupVersion",
      "eks:DeleteNodegroup",
      "eks:DescribePodIdentityAssociation",
      "eks:UpdatePodIdentityAssociation",
      "eks:DeletePodIdentityAssociation",
      "eks:TagResource",
      "eks:UntagResource",
      "eks:ListTagsForResource",
    ],
    resources: (s) => eksScoped(s).slice(1),
    condition: resourceTagged,
    source: `${REF}/list_amazonelastickubernetesservice.html`,
  },
  {
    sid: "EksUpdates",
    types: [NODE_GROUP],
    actions: ["eks:DescribeUpdate"],
    resources: (s) => eksScoped(s).slice(0, 2),
    source: `${REF}/list_amazonelastickubernetesservice.html`,
  },
  {
    sid: "PassPlatformRoles",
    types: [NODE_GROUP, POD_IDENTITY],
    actions: ["iam:PassRole"],
    resources: (s) => [...s.passRoleArns],
    source: `${REF}/list_awsidentityandaccessmanagementiam.html`,
  },
  {
    sid: "LaunchTemplateCreateTagged",
    types: [LAUNCH_TEMPLATE],
    actions: ["ec2:CreateLaunchTemplate"],
    resources: (s) => [arn(s, "ec2", "launch-template/*")],
    condition: requestTagged,
    source: `${REF}/list_amazonec2.html`,
  },
  {
    sid: "LaunchTemplateTagOnCreate",
    types: [LAUNCH_TEMPLATE],
    actions: ["ec2:CreateTags"],
    resources: (s) => [arn(s, "ec2", "launch-template/*")],
    condition: { StringEquals: { "ec2:CreateAction": "CreateLaunchTemplate" } },
    source: `${REF}/list_amazonec2.html`,
  },
  {
    sid: "LaunchTemplateManageTagged",
    types: [LAUNCH_TEMPLATE],
    actions: [
      "ec2:CreateLaunchTemplateVersion",
      "ec2:ModifyLaunchTemplate",
      "ec2:DeleteLaunchTemplate",
      "ec2:DeleteLaunchTemplateVersions",
      "ec2:CreateTags",
      "ec2:DeleteTags",
    ],
    resources: (s) => [arn(s, "ec2", "launch-template/*")],
    condition: resourceTagged,
    source: `${REF}/list_amazonec2.html`,
  },
  {
    sid: "LaunchTemplateDescribe",
    types: [LAUNCH_TEMPLATE, NODE_GROUP],
    actions: ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"],
    resources: () => ["*"],
    source: `${REF}/list_amazonec2.html`,
  },
  {
    sid: "ExecRoleCreateBounded",
    types: [ROLE],
    actions: ["iam:CreateRole"],
    resources: mpRoles,
    condition: (s) => ({ ...requestTagged, ...boundaryCondition(s.boundaryArn) }),
    source: `${REF}/list_awsidentityandaccessmanagementiam.html; ${BOUNDARIES}`,
  },
  {
    sid: "ExecRoleTagOnCreate",
    types: [ROLE],
    actions: ["iam:TagRole"],
    resources: mpRoles,
    condition: requestTagged,
    source: `${REF}/list_awsidentityandaccessmanagementiam.html`,
  },
  {
    sid: "ExecRoleManageTagged",
    types: [ROLE, ROLE_POLICY, ATTACHMENT],
    actions: UNBOUNDED_ROLE_ACTIONS,
    resources: mpRoles,
    condition: resourceTagged,
    source: `${REF}/list_awsidentityandaccessmanagementiam.html`,
  },
  {
    sid: "ExecRoleWriteBounded",
    types: [ROLE, ROLE_POLICY, ATTACHMENT],
    actions: ["iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary"],
    resources: mpRoles,
    condition: (s) => ({ ...resourceTagged, ...boundaryCondition(s.boundaryArn) }),
    source: `${REF}/list_awsidentityandaccessmanagementiam.html; ${BOUNDARIES}`,
  },
  {
    sid: "ExecRoleAttachStoreGrant",
    types: [ATTACHMENT],
    actions: ["iam:AttachRolePolicy"],
    resources: mpRoles,
    condition: (s) => ({
      ...resourceTagged,
      ...boundaryCondition(s.boundaryArn),
      ArnLike: { "iam:PolicyARN": "arn:aws:iam::*:policy/mp-*" },
    }),
    source: `${REF}/list_awsidentityandaccessmanagementiam.html; ${BOUNDARIES}`,
  },
  {
    sid: "ExecRolePassToSageMaker",
    types: [ROLE, ...SM],
    actions: ["iam:PassRole"],
    resources: mpRoles,
    condition: { ...resourceTagged, StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } },
    source: `${REF}/list_awsidentityandaccessmanagementiam.html`,
  },
  {
    sid: "SageMakerCreateTagged",
    types: SM,
    actions: [
      "sagemaker:CreateModel",
      "sagemaker:CreateEndpointConfig",
      "sagemaker:CreateEndpoint",
      "sagemaker:AddTags",
    ],
    resources: sagemaker,
    condition: requestTagged,
    source: `${REF}/list_amazonsagemaker.html`,
  },
  {
    sid: "SageMakerManageTagged",
    types: [...SM, ...SCALING],
    actions: [
      "sagemaker:DescribeModel",
      "sagemaker:DeleteModel",
      "sagemaker:DescribeEndpointConfig",
      "sagemaker:DeleteEndpointConfig",
      "sagemaker:DescribeEndpoint",
      "sagemaker:UpdateEndpoint",
      "sagemaker:UpdateEndpointWeightsAndCapacities",
      "sagemaker:DeleteEndpoint",
      "sagemaker:AddTags",
      "sagemaker:DeleteTags",
      "sagemaker:ListTags",
    ],
    resources: sagemaker,
    condition: resourceTagged,
    source: `${REF}/list_amazonsagemaker.html`,
  },
  {
    sid: "EndpointScaling",
    types: SCALING,
    actions: [
      "application-autoscaling:RegisterScalableTarget",
      "application-autoscaling:DeregisterScalableTarget",
      "application-autoscaling:DescribeScalableTargets",
      "application-autoscaling:PutScalingPolicy",
      "application-autoscaling:DeleteScalingPolicy",
      "application-autoscaling:DescribeScalingPolicies",
      "application-autoscaling:TagResource",
      "application-autoscaling:UntagResource",
      "application-autoscaling:ListTagsForResource",
    ],
    resources: () => ["*"],
    source: `${REF}/list_applicationautoscaling.html`,
  },
  {
    sid: "EndpointScalingServiceRole",
    types: SCALING,
    actions: ["iam:CreateServiceLinkedRole"],
    resources: (s) => [
      `arn:aws:iam::${s.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/*`,
    ],
    condition: { StringEquals: { "iam:AWSServiceName": "sagemaker.application-autoscaling.amazonaws.com" } },
    source: `${REF}/list_awsidentityandaccessmanagementiam.html`,
  },
  {
    sid: "AlarmCreateTagged",
    types: [ALARM],
    actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"],
    resources: (s) => [arn(s, "cloudwatch", "alarm:*")],
    condition: requestTagged,
    source: `${REF}/list_amazoncloudwatch.html`,
  },
  {
    sid: "AlarmManageTagged",
    types: [ALARM],
    actions: [
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:DeleteAlarms",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
      "cloudwatch:ListTagsForResource",
    ],
    resources: (s) => [arn(s, "cloudwatch", "alarm:*")],
    condition: resourceTagged,
    source: `${REF}/list_amazoncloudwatch.html`,
  },
  {
    sid: "AlarmDescribe",
    types: [ALARM],
    actions: ["cloudwatch:DescribeAlarms"],
    resources: () => ["*"],
    source: `${REF}/list_amazoncloudwatch.html`,
  },
];

/**
 * The workers' IAM policy document for `scope`: the grants (a grant with no resource, no role to
 * pass, is left out) and the boundary's denies (providers/aws/role-boundary.ts). Pure.
 */
export function workerPolicy(scope: AwsWorkerScope): { Version: string; Statement: Array<Record<string, unknown>> } {
  const statements: Array<Record<string, unknown>> = AWS_WORKER_GRANTS.map((g) => ({
    g,
    resources: g.resources(scope),
  }))
    .filter(({ resources }) => resources.length > 0)
    .map(({ g, resources }) => {
      const condition = grantCondition(g, scope);
      return {
        Sid: g.sid,
        Effect: "Allow",
        Action: [...g.actions],
        Resource: resources,
        ...(condition ? { Condition: condition } : {}),
      };
    });
  return {
    Version: "2012-10-17",
    Statement: [...statements, ...boundaryDenies(scope.account, scope.boundaryArn, platformRoles(scope))],
  };
}

/** The platform's roles the workers may pass or act as but never change. Pure. */
function platformRoles(scope: AwsWorkerScope): string[] {
  return [...scope.passRoleArns, ...(scope.selfRoleArn !== undefined ? [scope.selfRoleArn] : [])];
}

/** A grant's condition for `scope`. Pure. */
export function grantCondition(g: AwsGrant, scope: AwsWorkerScope): Condition | undefined {
  return typeof g.condition === "function" ? g.condition(scope) : g.condition;
}

/** `arn:aws:iam::<account>:role/…` → the account. Pure. */
export function accountOfArn(arnValue: string): string | undefined {
  return /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arnValue)?.[1];
}
