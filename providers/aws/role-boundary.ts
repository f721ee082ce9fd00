/**
 * The permissions boundary of the roles a per-model deployment stack creates on AWS, and the
 * worker-policy statements that enforce it (issue 14): the control plane's workers may create and
 * write `mp-*` roles only when the role carries this boundary, may not remove it, and may not change
 * the boundary policy itself. So a compromised worker that writes an admin inline policy into an
 * `mp-*` role gets, through that role, at most what the boundary allows.
 *
 * The boundary is exactly what the stacks' roles are given, nothing more (the test
 * `programs/deployment/role-boundary.test.ts` derives the needed set from a recorded deployment
 * stack's role policies and compares): the SageMaker execution role (providers/aws/serverless.ts
 * `executionPolicy`) and the store's read-only policy it may have attached (providers/aws/store.ts
 * `s3ReadOnlyPolicy`). Deployments name their own buckets (a model URI, an async output URI), so
 * S3 reads are not narrowed to a bucket; S3 writes (async results) are narrowed to buckets of the
 * platform's account (`s3:ResourceAccount`, https://aws.amazon.com/about-aws/whats-new/2020/12/new-iam-condition-keys-amazon-s3-limit-requests-buckets-owned-specific-aws-accounts-specific-tls-versions/,
 * read 2026-12-01); logs to the account's `/aws/sagemaker/*` groups; the store's SSE-KMS key
 * through S3 only (its key policy, not the roles' policies, grants that today).
 *
 * Sources (read 2026-12-01):
 * - Permissions boundaries and the delegation pattern (create/change only with the boundary, deny
 *   removing it, deny editing the boundary policy's versions):
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html. AWS's example
 *   conditions the user actions (CreateUser, PutUserPolicy, DeleteUserPolicy, AttachUserPolicy,
 *   DetachUserPolicy, PutUserPermissionsBoundary) on `iam:PermissionsBoundary`; the role actions
 *   used here are their role counterparts.
 * - `iam:PermissionsBoundary` "filters access if the specified policy is set as the permissions
 *   boundary on the IAM entity (user or role)":
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html.
 *   Its per-action column could not be read here; which role actions list the key is taken from the
 *   delegation example above (see `BOUNDED_ROLE_ACTIONS`).
 */

/** The boundary policy's name for the control plane `name` (one per platform, so two platforms in one account do not collide). */
export function stackRoleBoundaryName(name: string): string {
  return `${name}-stack-role-boundary`;
}

/** `arn:aws:iam::<account>:policy/<name>`. Pure. */
export function policyArn(account: string, name: string): string {
  return `arn:aws:iam::${account}:policy/${name}`;
}

/** The roles a deployment stack creates are named `mp-*` (providers/aws/naming.ts `iamName`). */
export const STACK_ROLE_PATTERN = "mp-*";

/** One boundary statement and where its need comes from. */
export interface BoundaryStatement {
  sid: string;
  actions: readonly string[];
  resources: (account: string) => string[];
  condition?: (account: string) => Record<string, Record<string, string>>;
  /** The role policy whose statement needs it. */
  neededBy: string;
}

const EXEC = "providers/aws/serverless.ts executionPolicy";
const READER = "providers/aws/store.ts s3ReadOnlyPolicy (attached as modelAccess.grant)";

export const STACK_ROLE_BOUNDARY: readonly BoundaryStatement[] = [
  {
    sid: "PullImage",
    // GetAuthorizationToken takes no resource; images may be AWS's Deep Learning Containers in AWS's accounts.
    actions: [
      "ecr:GetAuthorizationToken",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ],
    resources: () => ["*"],
    neededBy: EXEC,
  },
  {
    sid: "SageMakerLogs",
    actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
    resources: (account) => [`arn:aws:logs:*:${account}:log-group:/aws/sagemaker/*`],
    neededBy: EXEC,
  },
  { sid: "Metrics", actions: ["cloudwatch:PutMetricData"], resources: () => ["*"], neededBy: EXEC },
  {
    sid: "ReadModels",
    actions: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion"],
    resources: () => ["arn:aws:s3:::*"],
    neededBy: `${EXEC}; ${READER}`,
  },
  {
    // The store's objects are SSE-KMS with the AWS managed key (providers/aws/store.ts): reading
    // needs kms:Decrypt and writing kms:GenerateDataKey on it ("To upload or download an object
    // encrypted with an AWS KMS key ... you need kms:GenerateDataKey and kms:Decrypt permissions on
    // the key": https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-UsingKMSEncryption.html,
    // read 2026-12-01). The roles' own policies do not grant them: the key's policy does, and a
    // boundary caps what a resource policy grants to a role. Through S3 only.
    sid: "StoreEncryption",
    actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    resources: (account) => [`arn:aws:kms:*:${account}:key/*`],
    condition: () => ({ StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } }),
    neededBy: "providers/aws/store.ts (SSE-KMS, granted by the AWS managed key's policy)",
  },
  {
    sid: "WriteAsyncResults",
    actions: ["s3:PutObject", "s3:AbortMultipartUpload"],
    resources: () => ["arn:aws:s3:::*/*"],
    condition: (account) => ({ StringEquals: { "s3:ResourceAccount": account } }),
    neededBy: EXEC,
  },
];

/** The boundary policy document for `account`. Pure. */
export function stackRoleBoundaryPolicy(account: string): {
  Version: string;
  Statement: Array<Record<string, unknown>>;
} {
  return {
    Version: "2012-10-17",
    Statement: STACK_ROLE_BOUNDARY.map((s) => ({
      Sid: s.sid,
      Effect: "Allow",
      Action: [...s.actions],
      Resource: s.resources(account),
      ...(s.condition ? { Condition: s.condition(account) } : {}),
    })),
  };
}

/**
 * The role-writing actions the workers hold that are allowed only with the boundary
 * (`iam:PermissionsBoundary` equal to its ARN): on CreateRole and PutRolePermissionsBoundary the
 * key is the boundary in the request, on the others the boundary the role already carries.
 * ASSUMPTION (per-action column not read, see the file comment): all six list the key.
 */
export const BOUNDED_ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
] as const;

/**
 * Role actions the workers hold that do not take the boundary condition (the key is not among
 * theirs in AWS's delegation example, and conditioning on an absent key would deny them): tagging,
 * reading, deleting a role, and its description and trust. None changes what a role may do; a
 * changed trust lets the worker assume a bounded role, which the worker could also create, so
 * the worker reaches at most the boundary's rights (said in docs/control-plane.md).
 */
export const UNBOUNDED_ROLE_ACTIONS = [
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRoleTags",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
] as const;

/** The condition a bounded role-writing statement carries. Pure. */
export function boundaryCondition(boundaryArn: string): Record<string, Record<string, string>> {
  return { StringEquals: { "iam:PermissionsBoundary": boundaryArn } };
}

/**
 * The explicit denies of the workers' policy: removing a stack role's boundary, changing the
 * boundary policy, and changing the platform's own roles (`platformRoleArns`: the roles the stacks
 * pass and the workers' own), which may match `mp-*` (a platform named `mp…`, the store's reader)
 * and which a worker could otherwise tag into reach of the tag-conditioned role changes. Pure.
 */
export function boundaryDenies(
  account: string,
  boundaryArn: string,
  platformRoleArns: readonly string[] = [],
): Array<Record<string, unknown>> {
  const platformRoles =
    platformRoleArns.length > 0
      ? [
          {
            Sid: "DenyChangingPlatformRoles",
            Effect: "Deny",
            Action: [...PLATFORM_ROLE_CHANGES],
            Resource: [...platformRoleArns],
          },
        ]
      : [];
  return [
    {
      Sid: "DenyRemovingStackRoleBoundary",
      Effect: "Deny",
      Action: ["iam:DeleteRolePermissionsBoundary"],
      Resource: [`arn:aws:iam::${account}:role/${STACK_ROLE_PATTERN}`],
    },
    {
      Sid: "DenyChangingStackRoleBoundary",
      Effect: "Deny",
      Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
      Resource: [boundaryArn],
    },
    ...platformRoles,
  ];
}

/** Every role-changing action: denied on the platform's roles (passing and reading them stay allowed). */
export const PLATFORM_ROLE_CHANGES = [
  ...BOUNDED_ROLE_ACTIONS.filter((a) => a !== "iam:CreateRole"),
  "iam:DeleteRolePermissionsBoundary",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
] as const;
