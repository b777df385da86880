// A per-process cache of catalog pages (shoppers' product lists), exact by construction:
// every write that touches products or stock bumps a local generation once it is done, and
// an entry is served only while the generation it was read under is still current. A read
// that raced a write therefore never outlives that write's return.
//
// Per process: another instance's writes would not bump this generation, so the server
// enables it only where no other writer can exist unseen (SQLite, see apps/server config
// CATALOG_CACHE). Writers in other processes on the same SQLite file (db:seed, a second
// server) are caught through `externalVersion` (Database.changeCounter).
//
// Pages to be cached are read from the primary, never from a read replica. The generation
// check only proves no local write finished while the page was read; a replica may still be
// behind a write that finished earlier, and the stale page it returns would then be served
// until the next local write. Reading misses from the primary keeps the cache exact; the
// cache itself is what spares the primary the repeated reads.

export interface CatalogPageCacheOptions {
  /** Most pages kept; the least recently stored is dropped first. */
  maxEntries?: number;
  /** Changes whenever a write commits that this cache may not have seen (Database.changeCounter). */
  externalVersion?: () => number;
  /** Hit/miss counting for metrics; `cache` names the layer that looked. */
  onLookup?: (cache: string, hit: boolean) => void;
}

/** The generations a value was read under; compare with `current()` before serving it. */
export interface CacheStamp {
  readonly local: number;
  readonly external: number;
}

interface Entry {
  stamp: CacheStamp;
  value: unknown;
}

export interface CatalogPageCache {
  /** The value stored under `key` if it is still current, else undefined (counted as a miss). */
  get(cache: string, key: string): unknown;
  /** Call before reading the database; pass the stamp to `set`. */
  stamp(): CacheStamp;
  /** Stores `value` unless a write finished since `stamp` was taken (the value may be stale). */
  set(key: string, stamp: CacheStamp, value: unknown): void;
  /** After any write that touches products or stock (also after a failed one: cheap and safe). */
  invalidate(): void;
}

export function createCatalogPageCache(options: CatalogPageCacheOptions = {}): CatalogPageCache {
  const maxEntries = options.maxEntries ?? 1000;
  const externalVersion = options.externalVersion ?? (() => 0);
  const entries = new Map<string, Entry>();
  let local = 0;

  const isCurrent = (stamp: CacheStamp) => stamp.local === local && stamp.external === externalVersion();

  return {
    get(cache: string, key: string): unknown {
      const entry = entries.get(key);
      const hit = entry !== undefined && isCurrent(entry.stamp);
      options.onLookup?.(cache, hit);
      return hit ? entry.value : undefined;
    },
    stamp: () => ({ local, external: externalVersion() }),
    set(key, stamp, value) {
      if (!isCurrent(stamp)) return;
      if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value!);
      entries.set(key, { stamp, value });
    },
    invalidate() {
      local += 1;
      entries.clear();
    },
  };
}

/** Runs a write and invalidates once it has settled, before its caller sees the outcome. */
export function invalidating<T>(cache: CatalogPageCache | undefined, write: Promise<T>): Promise<T> {
  return cache ? write.finally(() => cache.invalidate()) : write;
}
