/**
 * How AWS resources cost money: which type tokens are node groups, control planes, stores and
 * endpoints, and which inputs hold the instance type, counts, spot flag, region and tags.
 * Property names follow @pulumi/aws 7.x (e.g. `aws.eks.NodeGroup.scalingConfig.desiredSize`).
 */
import { at, bool, list, num, str, stringMap, strings } from "../../platform/core/resources/read";
import { freeReader, spotFromLabel, tagsAt } from "../../platform/core/resources/readers";
import type { CloudCostModule, ResourceFacts, ResourceInput, TypeReader } from "../../platform/core/resources/types";

function region(r: ResourceInput): string | undefined {
  return str(r.inputs, "region") ?? r.providerRegion;
}

const tagged = (r: ResourceInput): ResourceFacts["tags"] => tagsAt(r, "tags");

/** Types that bill nothing by themselves. `taggable`: the type takes `tags`. */
function free(types: string[], note: string, taggable: boolean): TypeReader {
  return freeReader(types, note, { platform: "aws", region, tagPath: taggable ? "tags" : undefined });
}

/** EKS labels every managed node with its group name and capacity type (EKS user guide, "Managed node groups", read 2026-11-22). */
const EKS_NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup";
const EKS_CAPACITY_LABEL = "eks.amazonaws.com/capacityType";

const nodeGroup: TypeReader = {
  types: ["aws:eks/nodeGroup:NodeGroup"],
  read(r) {
    const spot = str(r.inputs, "capacityType") === "SPOT";
    const instanceTypes = strings(r.inputs, "instanceTypes");
    const labels: Record<string, string> = { ...(stringMap(r.inputs, "labels") ?? {}) };
    const groupName = str(r.inputs, "nodeGroupName");
    if (groupName) labels[EKS_NODEGROUP_LABEL] = groupName;
    labels[EKS_CAPACITY_LABEL] = spot ? "SPOT" : "ON_DEMAND";
    if (instanceTypes.length === 1 && instanceTypes[0]) labels["node.kubernetes.io/instance-type"] = instanceTypes[0];
    const count = {
      desired: num(r.inputs, "scalingConfig.desiredSize"),
      min: num(r.inputs, "scalingConfig.minSize"),
      max: num(r.inputs, "scalingConfig.maxSize"),
    };
    const base = {
      platform: "aws" as const,
      region: region(r),
      tags: tagged(r),
      minScale: count.min === undefined ? undefined : { value: count.min, path: "scalingConfig.minSize" },
    };
    if (instanceTypes.length === 0) {
      return {
        ...base,
        cost: {
          kind: "unknown",
          reason: "no instanceTypes (a launch template's instance type is not read); set instanceTypes",
        },
      };
    }
    return {
      ...base,
      cost: {
        kind: "nodes",
        cloud: "aws",
        region: base.region,
        instanceTypes,
        count,
        spot,
        nodeLabels: labels,
        spotPath: "capacityType",
        countPath: "scalingConfig",
      },
    };
  },
};

const eksCluster: TypeReader = {
  types: ["aws:eks/cluster:Cluster"],
  read: (r) => ({
    platform: "aws",
    region: region(r),
    tags: tagged(r),
    cost: { kind: "control-plane", cloud: "aws", product: "eks", inlinePools: [] },
  }),
};

const bucket: TypeReader = {
  types: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  read(r) {
    // Inline `lifecycleRules` is the deprecated pre-v7 form; a BucketLifecycleConfiguration is the current one.
    const inline = list(r.inputs, "lifecycleRules").some((rule) => bool(rule, "enabled") !== false);
    const keys = [r.name, r.id, str(r.inputs, "bucket"), str(r.inputs, "bucketPrefix"), r.urn].filter(
      (k): k is string => !!k,
    );
    return {
      platform: "aws",
      region: region(r),
      tags: tagged(r),
      cost: { kind: "storage", cloud: "aws", region: region(r), tier: "STANDARD" },
      store: { inlineLifecycle: inline, keys },
    };
  },
};

const lifecycle: TypeReader = {
  types: [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  ],
  read(r) {
    const effective = list(r.inputs, "rules").some(
      (rule) =>
        str(rule, "status") !== "Disabled" &&
        (list(rule, "transitions").length > 0 ||
          at(rule, "expiration") !== undefined ||
          at(rule, "noncurrentVersionExpiration") !== undefined ||
          list(rule, "noncurrentVersionTransitions").length > 0),
    );
    const refs = [str(r.inputs, "bucket"), ...(r.dependsOn ?? [])].filter((k): k is string => !!k);
    return {
      platform: "aws",
      region: region(r),
      cost: { kind: "free", note: "lifecycle rules are free" },
      lifecycle: { refs, effective },
    };
  },
};

/**
 * SageMaker: an endpoint configuration fixes the instance type and count. Asynchronous inference
 * scales to zero and is priced per active hour by the catalog's `sagemaker-async` offers;
 * real-time variants are priced as always-on instances of the same SKU.
 */
const endpointConfig: TypeReader = {
  types: ["aws:sagemaker/endpointConfiguration:EndpointConfiguration"],
  read(r) {
    const variant = list(r.inputs, "productionVariants")[0];
    const sku = str(variant, "instanceType");
    const count = num(variant, "initialInstanceCount") ?? 1;
    const isAsync = at(r.inputs, "asyncInferenceConfig") !== undefined;
    const min = isAsync ? 0 : count;
    return {
      platform: "aws",
      region: region(r),
      tags: tagged(r),
      minScale: {
        value: min,
        path: isAsync ? "asyncInferenceConfig (scales to zero)" : "productionVariants[0].initialInstanceCount",
      },
      cost: sku
        ? {
            kind: "serverless",
            cloud: "aws",
            region: region(r),
            product: "sagemaker-async",
            sku,
            minInstances: min,
            maxInstances: count,
            minPath: "productionVariants[0].initialInstanceCount",
          }
        : {
            kind: "unknown",
            reason: "productionVariants[0].instanceType is not set (serverless variants are not priced)",
          },
    };
  },
};

const scalingTarget: TypeReader = {
  types: ["aws:appautoscaling/target:Target"],
  read(r) {
    const min = num(r.inputs, "minCapacity");
    return {
      platform: "aws",
      region: region(r),
      tags: tagged(r),
      cost: { kind: "free", note: "autoscaling targets are free" },
      ...(min === undefined ? {} : { minScale: { value: min, path: "minCapacity" } }),
    };
  },
};

export const awsCost: CloudCostModule = {
  platform: "aws",
  readers: [
    nodeGroup,
    eksCluster,
    bucket,
    lifecycle,
    endpointConfig,
    scalingTarget,
    free(
      [
        "aws:iam/role:Role",
        "aws:iam/policy:Policy",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        "aws:eks/accessEntry:AccessEntry",
        "aws:eks/addon:Addon",
        "aws:eks/podIdentityAssociation:PodIdentityAssociation",
        "aws:sagemaker/model:Model",
        "aws:sagemaker/endpoint:Endpoint",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:rds/subnetGroup:SubnetGroup",
      ],
      "no charge of its own (node groups and SageMaker endpoint configurations carry the instance cost)",
      true,
    ),
    free(
      [
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:appautoscaling/policy:Policy",
      ],
      "configuration object, no charge",
      false,
    ),
  ],
  spotFromSelector: spotFromLabel(EKS_CAPACITY_LABEL, "SPOT"),
  planPlatformOutput: (region) => ({
    region,
    clusterName: "plan-eks",
    endpoint: "https://plan-eks.eks.plan",
    kubeconfig: "apiVersion: v1\nkind: Config\n",
    clusterRef: {
      cloud: "aws",
      region,
      clusterName: "plan-eks",
      nodeRoleArn: "arn:aws:iam::123456789012:role/plan-node",
      subnetIds: ["subnet-plan-a", "subnet-plan-b"],
    },
    pools: [],
    store: {
      uri: "s3://plan-models/models",
      readerIdentity: "arn:aws:iam::123456789012:role/plan-reader",
      readerClientId: "arn:aws:iam::123456789012:role/plan-reader",
      readerGrant: "arn:aws:iam::123456789012:policy/plan-read",
    },
    serverless: { image: `123456789012.dkr.ecr.${region}.amazonaws.com/vllm:latest` },
  }),
};
