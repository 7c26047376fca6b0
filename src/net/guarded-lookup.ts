import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isPrivateAddress } from './target-policy.js';

export class PrivateTargetError extends Error {
  override readonly name = 'PrivateTargetError';
  readonly code = 'EPRIVATETARGET';
}

type Callback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` for the connections of outgoing webhooks (event deliveries, business webhooks): refuses a host that resolves to any private,
 * loopback or link-local address. Checking at connect time (not only when the URL was saved) defeats
 * DNS names pointed at internal addresses later (rebinding).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: Callback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new PrivateTargetError(`${hostname} resolves to ${bad.address}, a private, loopback or link-local address`), []);
    if (!list.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    if (options.all) return callback(null, list);
    return callback(null, list[0].address, list[0].family);
  });
}
