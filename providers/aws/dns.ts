/** The gateway's DNS record in Route53 (`aws.route53.Record`): A for an IP, CNAME for an NLB's DNS name. */
import { aws } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { recordTypeOf, type DnsProvider } from "../types/dns";

export const awsDns: DnsProvider = {
  product: "route53",
  createRecord(name, args, parent) {
    const address = pulumi.output(args.address);
    return new aws.route53.Record(
      name,
      {
        zoneId: args.zoneId,
        name: args.fqdn,
        type: address.apply(recordTypeOf),
        ttl: args.ttl,
        records: [address],
      },
      { parent },
    );
  },
};
