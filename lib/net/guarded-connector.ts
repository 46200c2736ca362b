import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { buildConnector } from "undici";
import { isForbiddenAddress, isPrivateAddress } from "./forbidden-address";

/**
 * An undici connector that refuses to open a connection to a forbidden address
 * (forbidden-address.ts), checked on the address actually connected to: literal addresses
 * before connecting, names on what DNS answers at that moment (through net.connect's
 * `lookup` hook). Checking the URL when it is saved is not enough: a name can resolve to
 * 169.254.169.254 (`http://metadata/` on GCE), or to something harmless when saved and to
 * the metadata service later (DNS rebinding). The check runs once per new connection, not
 * per request: pooled keep-alive connections are reused untouched.
 *
 * Use it for any outbound request to a user-chosen URL:
 *   new Pool(origin, { connect: guardedConnector({ timeout }) })
 */
export const FORBIDDEN_ADDRESS_CODE = "MB_FORBIDDEN_UPSTREAM_ADDRESS";

export class ForbiddenAddressError extends Error {
  readonly code = FORBIDDEN_ADDRESS_CODE;
  constructor(
    host: string,
    address: string,
    why = "a link-local or cloud metadata address (ALLOW_LINK_LOCAL_UPSTREAMS=1 allows it)",
  ) {
    super(`Refused to connect to ${host} (${address}): ${why}`);
  }
}

const PRIVATE_WHY = "a loopback or private address (webhooks_allow_private_addresses allows it)";

type DnsLookup = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

export interface GuardOptions {
  /** Connect timeout in ms (undici's `connect.timeout`). */
  timeout?: number;
  /** The resolver; tests hand in a fake one to play DNS answers. */
  resolve?: DnsLookup;
  /** Also refuse loopback and private ranges (webhooks of ordinary users). */
  refusePrivate?: boolean;
}

/** A `lookup` for net.connect that fails when any address the name resolves to is forbidden. */
export function guardedLookup(
  resolve: DnsLookup = dns.lookup as unknown as DnsLookup,
  refusePrivate = false,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const bad = addresses.find((entry) => isForbiddenAddress(entry.address));
      if (bad) return callback(new ForbiddenAddressError(hostname, bad.address), "", 0);
      const near = refusePrivate && addresses.find((entry) => isPrivateAddress(entry.address));
      if (near)
        return callback(new ForbiddenAddressError(hostname, near.address, PRIVATE_WHY), "", 0);
      if (options.all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      if (addresses.length === 0)
        return callback(
          Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }),
          "",
          0,
        );
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export function guardedConnector(options: GuardOptions = {}): buildConnector.connector {
  const connect = buildConnector({
    timeout: options.timeout,
    lookup: guardedLookup(options.resolve, options.refusePrivate),
  } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    // A literal address never goes through `lookup`: check it here. undici hands IPv6 in brackets.
    const host = connectOptions.hostname.replace(/^\[(.*)\]$/, "$1");
    if (isIP(host) && isForbiddenAddress(host)) {
      callback(new ForbiddenAddressError(connectOptions.hostname, host), null);
      return;
    }
    if (options.refusePrivate && isIP(host) && isPrivateAddress(host)) {
      callback(new ForbiddenAddressError(connectOptions.hostname, host, PRIVATE_WHY), null);
      return;
    }
    return connect(connectOptions, callback);
  };
}
