/**
 * A launch template for EKS managed node groups. EKS does not copy node-group tags onto the EC2
 * instances and volumes it launches, so without this the GPU instances — the expensive part —
 * carry no cost tags. The template tags instances and volumes, sizes an encrypted gp3 root disk and
 * requires IMDSv2 (hop limit 2 so pods can still reach it).
 */
import { aws, type AwsTypes } from "../sdk";
import type * as pulumi from "@pulumi/pulumi";

/** The volume that holds images and the kubelet's data: the root on AL2023, the data volume on Bottlerocket. */
export function dataDeviceName(amiType: string): string {
  return amiType.startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda";
}

export interface NodeLaunchTemplateArgs {
  region: pulumi.Input<string>;
  amiType: string;
  diskSizeGiB: number;
  tags: Record<string, string>;
}

export function nodeLaunchTemplate(
  name: string,
  args: NodeLaunchTemplateArgs,
  parent: pulumi.Resource,
): AwsTypes.ec2.LaunchTemplate {
  return new aws.ec2.LaunchTemplate(
    name,
    {
      region: args.region,
      description: "modelplane EKS nodes: cost tags on instances and volumes, encrypted gp3 disk, IMDSv2",
      updateDefaultVersion: true,
      blockDeviceMappings: [
        {
          deviceName: dataDeviceName(args.amiType),
          ebs: { volumeSize: args.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        },
      ],
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
      tagSpecifications: [
        { resourceType: "instance", tags: args.tags },
        { resourceType: "volume", tags: args.tags },
      ],
      tags: args.tags,
    },
    { parent },
  );
}
