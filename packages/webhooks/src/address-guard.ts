// The SSRF guard: a webhook URL may only reach public unicast addresses. ipaddr.js names the
// range of an address; everything but plain `unicast` (private, loopback, link-local,
// unique-local, CGNAT, multicast, unspecified, reserved, 6to4/Teredo tunnels) is refused.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

export interface ResolvedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class WebhookUrlRefused extends Error {}

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === "unicast";
}

/**
 * Checks the URL's scheme and resolves its host once; the caller connects to the address
 * returned (pinned), so a second DNS answer cannot swap in a private one (rebinding).
 */
export async function resolveWebhookTarget(raw: string, allowPrivate: boolean): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused("not a URL");
  }
  const schemes = allowPrivate ? ["https:", "http:"] : ["https:"];
  if (!schemes.includes(url.protocol)) throw new WebhookUrlRefused(`the URL must use ${schemes.join(" or ")}`);
  if (url.username || url.password) throw new WebhookUrlRefused("the URL must not carry credentials");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const family = isIP(host);
  const found = family
    ? { address: host, family }
    : await lookup(host, { verbatim: true }).catch(() => {
        throw new WebhookUrlRefused("the URL's host does not resolve");
      });
  if (!allowPrivate && !isPublicAddress(found.address)) {
    throw new WebhookUrlRefused("the URL resolves to a private or reserved address");
  }
  return { url, address: found.address, family: found.family === 6 ? 6 : 4 };
}
