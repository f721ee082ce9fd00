/**
 * AWS pieces of the control plane: RDS for PostgreSQL, an S3 bucket for the per-model stacks'
 * Pulumi state, and a KMS key (with an alias) for their secrets provider.
 *
 * Facts used (read 2026-11-30):
 * - Pulumi's S3 backend URL `s3://<bucket>?region=<region>` and the KMS secrets provider
 *   `awskms://alias/<alias>?region=<region>`:
 *   https://www.pulumi.com/docs/iac/concepts/state-and-backends/ and
 *   https://www.pulumi.com/docs/iac/concepts/secrets/#available-encryption-providers
 * - RDS for PostgreSQL engine `postgres`; the endpoint's host is the instance's `address`, port 5432:
 *   https://www.pulumi.com/registry/packages/aws/api-docs/rds/instance/
 * - Placement (with `clusterSubnetIds`): a DB subnet group of the cluster's subnets (RDS needs
 *   subnets in at least two AZs, as EKS does) and a security group admitting TCP 5432 from the
 *   VPC's primary CIDR only, so the pods reach it and nothing outside the VPC does; without them
 *   RDS uses the default VPC and its default security group, which admits only members of that
 *   group (not the nodes): https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
 *   (read 2026-12-01). A secondary CIDR of the VPC is not admitted.
 * - The pods' identity (with `workload`): an IAM role trusting `pods.eks.amazonaws.com`
 *   (`sts:AssumeRole`, `sts:TagSession`) tied to the ServiceAccount by an EKS Pod Identity
 *   association, as the model stacks' store reader is (providers/kubernetes/workload-identity.ts):
 *   https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html (read 2026-12-01). It may list
 *   the state bucket and get, put and delete its objects, and `kms:Encrypt`/`kms:Decrypt` with the
 *   key: the two calls Pulumi's `awskms://` secrets provider (gocloud.dev/secrets/awskms, `keeper`)
 *   makes (google/go-cloud secrets/awskms/kms.go, read 2026-12-01).
 */
import { aws } from "../sdk";
import { POD_IDENTITY_TRUST } from "./store";
import { accountOfArn, AWS_STACK_WORKERS_GROUP, workerPolicy } from "./worker-rights";
import { stackRoleBoundaryName, stackRoleBoundaryPolicy } from "./role-boundary";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlaneCloud, ControlPlaneCloudArgs, ControlPlaneProvider } from "../types/control-plane";

export const awsControlPlane: ControlPlaneProvider = {
  defaultInstanceClass: "db.t4g.medium",
  create(args: ControlPlaneCloudArgs, parent: pulumi.Resource): ControlPlaneCloud {
    const { name, region, tags } = args;
    const opts = { parent };
    const out: ControlPlaneCloud = {};
    let bucketArn: pulumi.Output<string> | undefined;
    let keyArn: pulumi.Output<string> | undefined;
    if (args.database) {
      const db = args.database;
      const placement = args.clusterSubnetIds ? dbPlacement(name, region, args.clusterSubnetIds, tags, parent) : {};
      const instance = new aws.rds.Instance(
        `${name}-db`,
        {
          region,
          engine: "postgres",
          engineVersion: db.version,
          instanceClass: db.instanceClass,
          allocatedStorage: db.storageGiB,
          dbName: "modelplane",
          username: "modelplane",
          password: db.password,
          storageEncrypted: true,
          publiclyAccessible: false,
          deletionProtection: db.deletionProtection,
          skipFinalSnapshot: !db.deletionProtection,
          ...(db.deletionProtection ? { finalSnapshotIdentifier: `${name}-db-final` } : {}),
          backupRetentionPeriod: 7,
          ...placement,
          tags,
        },
        opts,
      );
      out.databaseUrl = pulumi.secret(
        pulumi.interpolate`postgres://modelplane:${pulumi.output(db.password).apply(encodeURIComponent)}@${instance.address}:5432/modelplane?sslmode=require`,
      );
    }
    if (args.stateBucket) {
      const bucket = new aws.s3.Bucket(`${name}-state`, { region, forceDestroy: false, tags }, opts);
      new aws.s3.BucketPublicAccessBlock(
        `${name}-state-public-access`,
        {
          region,
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        opts,
      );
      new aws.s3.BucketVersioning(
        `${name}-state-versioning`,
        { region, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        opts,
      );
      out.backendUrl = pulumi.interpolate`s3://${bucket.bucket}?region=${region}`;
      bucketArn = bucket.arn;
    }
    if (args.kmsKey) {
      const key = new aws.kms.Key(
        `${name}-secrets`,
        { region, description: `${name}: secrets of the per-model Pulumi stacks`, enableKeyRotation: true, tags },
        opts,
      );
      const alias = new aws.kms.Alias(
        `${name}-secrets-alias`,
        { region, name: `alias/${name}-secrets`, targetKeyId: key.keyId },
        opts,
      );
      out.secretsProvider = pulumi.interpolate`awskms://${alias.name}?region=${region}`;
      keyArn = key.arn;
    }
    if (args.workload && (bucketArn || keyArn)) {
      const role = new aws.iam.Role(
        `${name}-pods`,
        {
          description: `${name}: the control plane's API and worker pods (EKS Pod Identity)`,
          assumeRolePolicy: POD_IDENTITY_TRUST,
          tags,
        },
        opts,
      );
      new aws.iam.RolePolicy(
        `${name}-pods-state`,
        {
          role: role.id,
          policy: pulumi
            .all([bucketArn ?? "", keyArn ?? ""])
            .apply(([bucket, key]) => JSON.stringify(controlPlanePodPolicy(bucket || undefined, key || undefined))),
        },
        opts,
      );
      new aws.eks.PodIdentityAssociation(
        `${name}-pods`,
        {
          region,
          clusterName: args.workload.clusterName,
          namespace: args.workload.namespace,
          serviceAccount: args.workload.serviceAccount,
          roleArn: role.arn,
          tags,
        },
        opts,
      );
      out.stackRoleBoundary = stackWorkerRights(name, region, args, role, tags, parent);
      out.podIdentity = role.arn;
      out.kubernetesSubjects = pulumi.output([
        { kind: "Group" as const, name: AWS_STACK_WORKERS_GROUP, apiGroup: "rbac.authorization.k8s.io" as const },
      ]);
    }
    return out;
  },
};

/**
 * The rights the workers need to run the per-model stacks (providers/aws/worker-rights.ts): a
 * second inline policy on the pods' role, and an EKS access entry (type STANDARD) that maps the role
 * to the Kubernetes group the stack workers' ClusterRoleBinding names, so the stacks' kubeconfig
 * (`aws eks get-token` as this role) is authorized by that RBAC and nothing else. Plus the
 * permissions boundary the `mp-*` roles the stacks create must carry (providers/aws/role-boundary.ts),
 * a customer-managed policy; returns its ARN.
 */
function stackWorkerRights(
  name: string,
  region: string,
  args: ControlPlaneCloudArgs,
  role: { arn: pulumi.Output<string>; id: pulumi.Output<string> },
  tags: Record<string, string>,
  parent: pulumi.Resource,
): pulumi.Output<string> | undefined {
  const w = args.workload;
  if (!w) return undefined;
  const accountOf = (roleArn: string): string => {
    const account = accountOfArn(roleArn);
    if (!account) throw new Error(`${name}: no account in the pods' role ARN "${roleArn}"`);
    return account;
  };
  const boundary = new aws.iam.Policy(
    `${name}-stack-role-boundary`,
    {
      name: stackRoleBoundaryName(name),
      description: `${name}: the most any role a per-model stack creates (mp-*) may do`,
      policy: role.arn.apply((roleArn) => JSON.stringify(stackRoleBoundaryPolicy(accountOf(roleArn)))),
      tags,
    },
    { parent },
  );
  new aws.iam.RolePolicy(
    `${name}-pods-stacks`,
    {
      role: role.id,
      policy: pulumi
        .all([role.arn, w.clusterName, pulumi.all(args.stackIdentities ?? []), boundary.arn])
        .apply(([roleArn, clusterName, passed, boundaryArn]) => {
          const passRoleArns = passed.filter((a) => a !== "");
          return JSON.stringify(
            workerPolicy({
              account: accountOf(roleArn),
              region,
              clusterName,
              passRoleArns,
              boundaryArn,
              selfRoleArn: roleArn,
            }),
          );
        }),
    },
    { parent },
  );
  new aws.eks.AccessEntry(
    `${name}-pods-stacks`,
    {
      region,
      clusterName: w.clusterName,
      principalArn: role.arn,
      type: "STANDARD",
      kubernetesGroups: [AWS_STACK_WORKERS_GROUP],
      tags,
    },
    { parent },
  );
  return boundary.arn;
}

/** The pods' IAM policy: the state bucket's objects and the secrets key, nothing else. Pure. */
export function controlPlanePodPolicy(
  bucketArn: string | undefined,
  keyArn: string | undefined,
): Record<string, unknown> {
  const statements: Array<Record<string, unknown>> = [];
  if (bucketArn) {
    statements.push(
      { Sid: "StateBucketList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${bucketArn}/*`,
      },
    );
  }
  if (keyArn)
    statements.push({ Sid: "SecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt"], Resource: keyArn });
  return { Version: "2012-10-17", Statement: statements };
}

/** The database in the cluster's subnets, reachable on 5432 from the VPC's primary CIDR only. */
function dbPlacement(
  name: string,
  region: string,
  subnetIds: pulumi.Input<pulumi.Input<string>[]>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): { dbSubnetGroupName: pulumi.Output<string>; vpcSecurityGroupIds: pulumi.Output<string>[] } {
  const first = pulumi.output(subnetIds).apply((ids) => {
    const id = ids[0];
    if (!id) throw new Error(`${name}: the cluster has no subnet to place the database in`);
    return id;
  });
  const subnet = aws.ec2.getSubnetOutput({ id: first, region }, { parent });
  const vpc = aws.ec2.getVpcOutput({ id: subnet.vpcId, region }, { parent });
  const group = new aws.rds.SubnetGroup(
    `${name}-db`,
    { region, subnetIds, description: `${name}: the control plane database, in the cluster's subnets`, tags },
    { parent },
  );
  const sg = new aws.ec2.SecurityGroup(
    `${name}-db`,
    {
      region,
      vpcId: subnet.vpcId,
      description: `${name}: Postgres from the cluster's VPC only`,
      ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [vpc.cidrBlock] }],
      tags,
    },
    { parent },
  );
  return { dbSubnetGroupName: group.name, vpcSecurityGroupIds: [sg.id] };
}
