import { BlockList, isIP } from 'node:net';

// Event targets must not reach into the operator's network unless the operator allows it:
// private (RFC 1918, unique-local), loopback, link-local, CGNAT, unspecified, multicast and
// reserved ranges are refused, for IPv4, IPv6 and IPv4 embedded in IPv6.
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::/96`) or compatible IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return undefined;
}

/** True for an address an event webhook must not reach by default. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0];
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(bare, 'ipv6');
  }
  return false;
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; code: 'EVENT_TARGET_INVALID' | 'EVENT_TARGET_FORBIDDEN'; reason: string };

/**
 * Checks a subscription URL: absolute http(s), no credentials, and (unless private targets are
 * allowed) a host that is not `localhost` nor a private literal address. Host names are checked
 * again on every resolved address at delivery time (`guarded-lookup.ts`).
 */
export function checkTargetUrl(raw: string, allowPrivate: boolean): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, code: 'EVENT_TARGET_INVALID', reason: 'not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, code: 'EVENT_TARGET_INVALID', reason: `scheme ${url.protocol} is not http or https` };
  if (url.username || url.password) return { ok: false, code: 'EVENT_TARGET_INVALID', reason: 'credentials in the URL are not allowed; authenticate deliveries with the signature' };
  if (allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return { ok: false, code: 'EVENT_TARGET_FORBIDDEN', reason: `${host} is a loopback name` };
  if (isIP(host) && isPrivateAddress(host)) return { ok: false, code: 'EVENT_TARGET_FORBIDDEN', reason: `${host} is a private, loopback or link-local address` };
  return { ok: true, url };
}
