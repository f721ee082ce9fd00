/** The gateway's DNS record in Azure DNS (`azure-native.dns.RecordSet`), relative to the zone. */
import { azure } from "../sdk";
import * as pulumi from "@pulumi/pulumi";
import { recordTypeOf, type DnsProvider } from "../types/dns";

export const azureDns: DnsProvider = {
  product: "azure-dns",
  createRecord(name, args, parent) {
    const address = pulumi.output(args.address);
    const relative = args.fqdn.endsWith(`.${args.zone}`) ? args.fqdn.slice(0, -(args.zone.length + 1)) : args.fqdn;
    return new azure.dns.RecordSet(
      name,
      {
        resourceGroupName: args.zoneId,
        zoneName: args.zone,
        relativeRecordSetName: relative,
        recordType: address.apply(recordTypeOf),
        ttl: args.ttl,
        aRecords: address.apply((a) => (recordTypeOf(a) === "A" ? [{ ipv4Address: a }] : undefined)),
        aaaaRecords: address.apply((a) => (recordTypeOf(a) === "AAAA" ? [{ ipv6Address: a }] : undefined)),
        cnameRecord: address.apply((a) => (recordTypeOf(a) === "CNAME" ? { cname: a } : undefined)),
      },
      { parent },
    );
  },
};
