/** The gateway's DNS record in Cloud DNS (`gcp.dns.RecordSet`); names and CNAME targets end with a dot. */
import { gcp } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { recordTypeOf, type DnsProvider } from "../types/dns";

export const gcpDns: DnsProvider = {
  product: "cloud-dns",
  createRecord(name, args, parent) {
    const address = pulumi.output(args.address);
    return new gcp.dns.RecordSet(
      name,
      {
        managedZone: args.zoneId,
        name: `${args.fqdn}.`,
        type: address.apply(recordTypeOf),
        ttl: args.ttl,
        rrdatas: [address.apply((a) => (recordTypeOf(a) === "CNAME" ? `${a}.` : a))],
        ...(args.project ? { project: args.project } : {}),
      },
      { parent },
    );
  },
};
