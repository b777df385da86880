import type { IncomingMessage } from "node:http";
import { addressKey } from "@cartwheel/rate-limit";
import type { MiddlewareHandler } from "hono";
import ipaddr from "ipaddr.js";
import type { AppEnv } from "../hono-env.ts";

/**
 * Remembers recent answers of a string → string function: the same few peer addresses come
 * back on every request, and parsing them with ipaddr.js cost a few percent of each request.
 */
function remembered<R>(compute: (input: string) => R, size = 1024): (input: string) => R {
  const known = new Map<string, R>();
  return (input) => {
    if (known.has(input)) return known.get(input)!;
    const result = compute(input);
    if (known.size >= size) known.delete(known.keys().next().value!);
    known.set(input, result);
    return result;
  };
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; other valid addresses in canonical form; null if invalid. */
const normaliseAddress = remembered((address: string): string | null => {
  if (!ipaddr.isValid(address.trim())) return null;
  return ipaddr.process(address.trim()).toString();
});
const normalise = (address: string | undefined) => (address ? normaliseAddress(address) : null);

/**
 * The client address. X-Forwarded-For is honoured only for `trustedHops` proxies: walking
 * from the socket peer leftwards through the header, each trusted hop vouches for the next
 * address. With 0 hops the header is ignored, so clients cannot spoof their rate-limit key.
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedHops: number,
) {
  const chain = [socketAddress, ...(forwardedFor?.split(",").toReversed() ?? [])];
  let client = normalise(socketAddress) ?? "unknown";
  for (let hop = 1; hop <= trustedHops && hop < chain.length; hop++) {
    const next = normalise(chain[hop]);
    if (!next) break;
    client = next;
  }
  return client;
}

/** addressKey (IPv6 per /64), remembered: it runs for every request. */
export const rateLimitKeyForIp = remembered(addressKey);

export function clientIp(trustedHops: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const forwardedFor = trustedHops > 0 ? c.req.header("x-forwarded-for") : undefined;
    c.set("ip", resolveClientIp(incoming?.socket?.remoteAddress, forwardedFor, trustedHops));
    await next();
  };
}
