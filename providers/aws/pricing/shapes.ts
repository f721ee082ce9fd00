/** AWS GPU instance families (public EC2 instance-type documentation) and the regions refreshed by default. */
import type { GpuType } from "../../../platform/core/types";

export const AWS_FAMILY_GPUS: Readonly<Record<string, GpuType>> = {
  g4dn: "T4",
  g6: "L4",
  g5: "A10G",
  g6e: "L40S",
  p4d: "A100",
  p4de: "A100-80GB",
  p5: "H100",
};

export const AWS_REFRESH_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "eu-central-1",
  "eu-west-1",
  "ap-northeast-1",
  "ap-south-1",
  "ap-southeast-1",
] as const;
