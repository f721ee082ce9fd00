/**
 * The contract a cloud implements for the gateway's DNS record (`components/ClusterGateway.ts`):
 * `<cluster>.<zone>` pointing at the gateway's load balancer, in the cloud's DNS service.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface DnsRecordArgs {
  /** The zone as the cloud names it: Route53 hosted zone id, Cloud DNS managed zone name, Azure DNS resource group. */
  zoneId: string;
  /** The zone's DNS name (`models.example.com`). */
  zone: string;
  /** The record's full name (`aws-us-east-1.models.example.com`), inside `zone`. */
  fqdn: string;
  /** The load balancer's address: an IP (A record) or a DNS name (CNAME). */
  address: pulumi.Input<string>;
  /** Seconds. */
  ttl: number;
  /** GCP: the managed zone's project (default: the provider's). */
  project?: string;
}

export interface DnsProvider {
  /** Product, for messages: `route53`, `cloud-dns`, `azure-dns`. */
  readonly product: string;
  /** Register the record (child of `parent`). */
  createRecord(name: string, args: DnsRecordArgs, parent: pulumi.Resource): pulumi.CustomResource;
}

/** An IPv4/IPv6 literal (A/AAAA record) rather than a DNS name (CNAME). Pure. */
export function isIpAddress(address: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) || (/^[0-9a-f:]+$/i.test(address) && address.includes(":"));
}

/** The record type for an address: `A`, `AAAA` or `CNAME`. Pure. */
export function recordTypeOf(address: string): "A" | "AAAA" | "CNAME" {
  if (!isIpAddress(address)) return "CNAME";
  return address.includes(":") ? "AAAA" : "A";
}
