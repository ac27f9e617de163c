/**
 * Which webhook targets the server refuses: loopback, private, link-local and
 * other non-public addresses, so a rule cannot make the server probe its own
 * network. `WEBHOOK_ALLOW_PRIVATE=true` lifts the check (tests, an on-premise
 * receiver). A name is checked here by its literal form; the sender checks
 * the addresses it resolves to before it connects.
 */
import { BlockList, isIP } from 'node:net';

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
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
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True when `address` (an IP literal) is loopback, private or otherwise not on the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return false;
  if (family === 6) {
    // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as IPv4.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
    if (mapped?.[1]) return NON_PUBLIC.check(mapped[1], 'ipv4');
    return NON_PUBLIC.check(bare, 'ipv6');
  }
  return NON_PUBLIC.check(bare, 'ipv4');
}

/**
 * Why a webhook URL cannot be used, in plain words, or undefined when it can:
 * http(s) only, and no loopback or private host unless `allowPrivate`.
 */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'webhook: the URL is not a web address';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return 'webhook: the URL must start with https:// or http://';
  }
  if (allowPrivate) return undefined;
  const host = parsed.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || isNonPublicAddress(host)) {
    return 'webhook: the URL points at this server or a private network, which is not allowed';
  }
  return undefined;
}
