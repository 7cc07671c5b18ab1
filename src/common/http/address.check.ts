/**
 * Where a URL chosen by someone else (a partner's subscription `location`) may lead: never to this node itself, nor
 * to loopback, link-local (cloud metadata services live there), unspecified or multicast addresses (RFC 6890 special-purpose
 * registries; RFC 4291 section 2.5 for IPv6). The name is resolved as the connection would resolve it (`hostAliases`,
 * FEP_RESOLVE, first), and every address it resolves to must pass.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Why an IP address is not a place a partner may send this node: undefined when it may. */
export function forbiddenAddress(address: string, own: ReadonlySet<string>): string | undefined {
  const ip = address.toLowerCase().replace(/^\[|\]$/g, '');
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1] ?? (isIP(ip) === 4 ? ip : undefined);
  if (v4 !== undefined) {
    const [a, b] = v4.split('.').map(Number);
    if (a === 127) return 'a loopback address';
    if (a === 0) return 'an unspecified address';
    if (a === 169 && b === 254) return 'a link-local address';
    if (a >= 224) return 'a multicast or reserved address';
    if (own.has(v4)) return 'an address of this node';
    return undefined;
  }
  if (ip === '::1') return 'a loopback address';
  if (ip === '::') return 'an unspecified address';
  if (/^fe[89ab]/.test(ip)) return 'a link-local address';
  if (ip.startsWith('ff')) return 'a multicast address';
  if (own.has(ip)) return 'an address of this node';
  return undefined;
}

/** This node's own addresses (every interface). */
export function ownAddresses(): Set<string> {
  const own = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) own.add(entry.address.toLowerCase());
  return own;
}

export interface DestinationRules {
  /** FEP_RESOLVE: names resolved to fixed addresses, as the connection would. */
  aliases?: Record<string, string>;
  /** Loopback, link-local and this node's addresses are let through, all but `ownPorts` on them (nodes sharing a host). */
  allowPrivate?: boolean;
  /** The ports this node listens on: never a destination on its own addresses, whatever else is allowed. */
  ownPorts?: readonly number[];
}

/** Why `url` may not be called on a partner's behalf, or undefined. Unresolvable names are refused too. */
export async function forbiddenDestination(url: string, rules: DestinationRules = {}): Promise<string | undefined> {
  const target = new URL(url);
  const aliases = rules.aliases ?? {};
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else if (aliases[host] !== undefined) {
    addresses = [aliases[host]];
  } else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch (error) {
      return `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
    }
  }
  const own = ownAddresses();
  for (const address of addresses) {
    const why = forbiddenAddress(address, own);
    if (why === undefined) continue;
    const local = /loopback|unspecified|this node/.test(why);
    if (local && (rules.ownPorts ?? []).includes(port)) return `${host}:${port} is this node itself (${address})`;
    if (!rules.allowPrivate) return `${host} is ${why} (${address})`;
  }
  return undefined;
}
