/**
 * `DnsApi` over `node:dns`: what a recursive resolver answers clients for a record (CNAME targets,
 * else IPv4 addresses), caches and TTLs included. Not an AWS API (no IAM action). `servers`
 * pins the resolver (e.g. the VPC resolver or a public one); default: the system's.
 */
import { Resolver } from 'node:dns/promises';
import type { DnsApi } from './ports';

/** Builds the DNS port; `servers` such as `['10.0.0.2']` or `['127.0.0.1:5353']`. */
export function createDnsAdapter(servers?: readonly string[]): DnsApi {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return {
    async resolve(name) {
      try {
        return { name, values: await resolver.resolveCname(name) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENODATA') throw err;
        return { name, values: await resolver.resolve4(name) };
      }
    },
  };
}
