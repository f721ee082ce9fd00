/**
 * What the offline plan checks on AWS resources: which input holds each name and which limit
 * (providers/limits/names.ts) applies, and a node group's disk size. Property names follow
 * @pulumi/aws 7.x. Names the program leaves out are auto-named by Pulumi (`<logical>-<hex>`).
 */
import { list, num, str } from "../../platform/core/resources/read";
import type { PlanCheckModule } from "../types/plan-checks";

export const awsPlanChecks: PlanCheckModule = {
  platform: "aws",
  objectIdentities: [
    {
      // EKS keeps one Pod Identity association per ServiceAccount: a second one for the same
      // cluster, namespace and ServiceAccount is refused.
      type: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      fields: ["clusterName", "namespace", "serviceAccount"],
      source:
        "Amazon EKS User Guide, Assign an IAM role to a Kubernetes service account (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html), read 2026-12-01",
    },
  ],
  nameChecks: [
    { type: "aws:iam/role:Role", field: "name", kind: "aws-iam-role", autoName: "pulumi-suffix" },
    { type: "aws:eks/cluster:Cluster", field: "name", kind: "eks-cluster", autoName: "pulumi-suffix" },
    { type: "aws:eks/nodeGroup:NodeGroup", field: "nodeGroupName", kind: "eks-node-group", autoName: "pulumi-suffix" },
    { type: "aws:s3/bucket:Bucket", field: "bucket", kind: "s3-bucket", autoName: "pulumi-suffix" },
    { type: "aws:s3/bucketV2:BucketV2", field: "bucket", kind: "s3-bucket", autoName: "pulumi-suffix" },
    { type: "aws:sagemaker/endpoint:Endpoint", field: "name", kind: "sagemaker-endpoint", autoName: "pulumi-suffix" },
    {
      type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
      field: "name",
      kind: "sagemaker-endpoint-config",
      autoName: "pulumi-suffix",
    },
    { type: "aws:sagemaker/model:Model", field: "name", kind: "sagemaker-model", autoName: "pulumi-suffix" },
  ],
  nodeDiskGiB(r, stack) {
    if (r.type !== "aws:eks/nodeGroup:NodeGroup") return undefined;
    const own = num(r.inputs, "diskSize");
    if (own !== undefined) return { gib: own, field: "diskSize" };
    // A launch template's root volume wins over diskSize (EKS rejects both together).
    const templateId = str(r.inputs, "launchTemplate.id");
    const template = stack.find((s) => s.type === "aws:ec2/launchTemplate:LaunchTemplate" && s.id === templateId);
    if (!template) return undefined;
    const sizes = list(template.inputs, "blockDeviceMappings")
      .map((m) => num(m, "ebs.volumeSize"))
      .filter((n): n is number => n !== undefined);
    if (sizes.length === 0) return undefined;
    return { gib: Math.max(...sizes), field: `launch template ${template.name} blockDeviceMappings[].ebs.volumeSize` };
  },
};
