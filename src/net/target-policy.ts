import ipaddr from 'ipaddr.js';

// Outgoing webhooks (event subscriptions, bot flows' business webhooks) must not reach into the
// operator's network unless the operator allows it. Addresses
// are classified by ipaddr.js: only its `unicast` range (the public internet) is allowed; private,
// loopback, link-local, CGNAT, unspecified, broadcast, multicast, documentation, benchmarking and
// every other special-purpose range are refused, for IPv4 and IPv6. An IPv4 address carried inside
// IPv6 (mapped `::ffff:a.b.c.d`, translated `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::/96`, or the old
// compatible form `::a.b.c.d`) is judged as the IPv4 address it carries.

/** The IPv4 address an IPv6 address carries, for the forms that deliver to that IPv4 address. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = address.range();
  const parts = address.parts;
  const v4 = () => new ipaddr.IPv4([parts[6] >> 8, parts[6] & 255, parts[7] >> 8, parts[7] & 255]);
  if (range === 'ipv4Mapped') return address.toIPv4Address();
  if (range === 'rfc6145' || range === 'rfc6052') return v4();
  // IPv4-compatible (::a.b.c.d, deprecated): the first 96 bits are zero. (:: and ::1 are their own ranges.)
  if (range !== 'unspecified' && range !== 'loopback' && parts.slice(0, 6).every((p) => p === 0)) return v4();
  return undefined;
}

/** True for an address an outgoing webhook must not reach by default (anything but public unicast). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0];
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6') {
    const v4 = embeddedIpv4(parsed as ipaddr.IPv6);
    if (v4) return v4.range() !== 'unicast';
  }
  return parsed.range() !== 'unicast';
}

/** Names that only mean something inside the operator's network. */
const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa'];

/** Why a host name (not an address) must not be a target, or undefined. Trailing dots are ignored. */
function internalNameReason(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (!name) return 'the host name is empty';
  if (INTERNAL_SUFFIXES.some((s) => name === s || name.endsWith(`.${s}`))) return `${hostname} is a loopback or internal name`;
  // Other names, single-label ones included, are judged by the addresses they resolve to, on every
  // connection (guarded-lookup.ts).
  return undefined;
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; code: 'EVENT_TARGET_INVALID' | 'EVENT_TARGET_FORBIDDEN'; reason: string };

/**
 * Checks a subscription URL, parsed as WHATWG URL (as the delivery client parses it): absolute
 * http(s) with a host right after `//`, no credentials, and (unless private targets are allowed) a
 * host that is neither an internal name (localhost, .local, .internal, ...) nor an address
 * outside public unicast. Host names are checked again on every resolved address at delivery time
 * (`guarded-lookup.ts`).
 */
export function checkTargetUrl(raw: string, allowPrivate: boolean): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, code: 'EVENT_TARGET_INVALID', reason: 'not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, code: 'EVENT_TARGET_INVALID', reason: `scheme ${url.protocol} is not http or https` };
  // WHATWG parsing forgives `http:///x`, `http:/x` and backslashes (reading host "x"); a target must
  // say what it means.
  if (!/^https?:\/\/[^/\\?#@]/i.test(raw.trim())) return { ok: false, code: 'EVENT_TARGET_INVALID', reason: 'the URL must have a host right after "//"' };
  if (url.username || url.password) return { ok: false, code: 'EVENT_TARGET_INVALID', reason: 'credentials in the URL are not allowed; authenticate deliveries with the signature' };
  if (allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    if (isPrivateAddress(host)) return { ok: false, code: 'EVENT_TARGET_FORBIDDEN', reason: `${host} is a private, loopback, link-local or reserved address` };
    return { ok: true, url };
  }
  const reason = internalNameReason(host);
  if (reason) return { ok: false, code: 'EVENT_TARGET_FORBIDDEN', reason };
  return { ok: true, url };
}
