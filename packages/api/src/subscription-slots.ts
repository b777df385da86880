import { MAX_SUBSCRIPTIONS_PER_IP, MAX_SUBSCRIPTIONS_PER_USER } from "@cartwheel/contracts";
import { TRPCError } from "@trpc/server";
import type { Services } from "./context.ts";

interface Counts {
  byCaller: Map<string, number>;
  byIp: Map<string, number>;
}

// One tally per process's services: tests that build several apps do not share counts.
const tallies = new WeakMap<Services, Counts>();

const bump = (map: Map<string, number>, key: string, by: number) => {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
};

/**
 * Takes one of the caller's and one of the address's open-stream slots on this instance, or
 * answers TOO_MANY_REQUESTS; the returned release gives them back when the stream ends.
 */
export function takeSubscriptionSlot(services: Services, caller: string, ip: string): () => void {
  let counts = tallies.get(services);
  if (!counts) {
    counts = { byCaller: new Map(), byIp: new Map() };
    tallies.set(services, counts);
  }
  const { byCaller, byIp } = counts;
  if ((byCaller.get(caller) ?? 0) >= MAX_SUBSCRIPTIONS_PER_USER) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `At most ${MAX_SUBSCRIPTIONS_PER_USER} live streams per account. Close one to open another.`,
    });
  }
  if ((byIp.get(ip) ?? 0) >= MAX_SUBSCRIPTIONS_PER_IP) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `At most ${MAX_SUBSCRIPTIONS_PER_IP} live streams per address. Close one to open another.`,
    });
  }
  bump(byCaller, caller, 1);
  bump(byIp, ip, 1);
  services.metrics?.openSubscriptions.inc();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    bump(byCaller, caller, -1);
    bump(byIp, ip, -1);
    services.metrics?.openSubscriptions.dec();
  };
}
