// What bounds a cached page besides invalidation: the safety TTL, and the change feed being
// down (the cache is then incoherent: nothing served, nothing stored, empty once it is back).
import { describe, expect, it } from "vitest";
import { createCatalogPageCache } from "../src/index.ts";

function manualClock(start = 1_000) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => void (now += ms) };
}

describe("catalog page cache TTL", () => {
  it("serves an entry until its TTL, counted from before its read began, and never after", () => {
    const time = manualClock();
    const cache = createCatalogPageCache({ ttlMs: 1000, clock: time.clock });
    const stamp = cache.stamp();
    time.advance(300); // the read takes 300 ms
    cache.set("k", stamp, "page");
    time.advance(699);
    expect(cache.get("c", "k")).toBe("page");
    time.advance(1);
    expect(cache.get("c", "k")).toBeUndefined();
  });

  it("refuses to store what was read under a stamp already older than the TTL", () => {
    const time = manualClock();
    const cache = createCatalogPageCache({ ttlMs: 1000, clock: time.clock });
    const stamp = cache.stamp();
    time.advance(1000);
    cache.set("k", stamp, "page");
    time.advance(-1000); // even were the clock to go back, the entry does not exist
    expect(cache.get("c", "k")).toBeUndefined();
  });
});

describe("catalog page cache while the change feed is down", () => {
  it("misses and stores nothing while incoherent, and starts empty once coherent again", () => {
    const lookups: boolean[] = [];
    const cache = createCatalogPageCache({ onLookup: (_name, hit) => void lookups.push(hit) });
    const before = cache.stamp();
    cache.set("old", before, "cached before the gap");
    expect(cache.get("c", "old")).toBe("cached before the gap");

    cache.setCoherent(false);
    expect(cache.get("c", "old")).toBeUndefined();
    const during = cache.stamp();
    cache.set("new", during, "read during the gap");
    expect(cache.get("c", "new")).toBeUndefined();

    cache.setCoherent(true);
    // Neither the entry from before the gap nor a read begun during it is ever served.
    expect(cache.get("c", "old")).toBeUndefined();
    cache.set("new", during, "read during the gap");
    expect(cache.get("c", "new")).toBeUndefined();
    cache.set("new", before, "cached before the gap");
    expect(cache.get("c", "new")).toBeUndefined();

    const after = cache.stamp();
    cache.set("new", after, "read after");
    expect(cache.get("c", "new")).toBe("read after");
    expect(lookups).toEqual([true, false, false, false, false, false, true]);
  });

  it("starts incoherent when told to (a feed that is not listening yet)", () => {
    const cache = createCatalogPageCache({ coherent: false });
    cache.set("k", cache.stamp(), "page");
    expect(cache.get("c", "k")).toBeUndefined();
    cache.setCoherent(true);
    cache.set("k", cache.stamp(), "page");
    expect(cache.get("c", "k")).toBe("page");
  });
});
