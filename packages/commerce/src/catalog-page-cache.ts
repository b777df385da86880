// A per-process cache of catalog pages (shoppers' product lists), exact by construction:
// every write that touches products or stock bumps a local generation once it is done, and
// an entry is served only while the generation it was read under is still current. A read
// that raced a write therefore never outlives that write's return.
//
// Writers in other processes are caught two ways. On SQLite, through `externalVersion`
// (Database.changeCounter: data_version sees every connection to the file). On PostgreSQL,
// through the database's change feed (LISTEN/NOTIFY, packages/db change-feed.ts): each
// notification calls `invalidate()`, and while the feed is down the cache is incoherent
// (`setCoherent(false)`): it serves nothing and stores nothing, and starts empty once the
// feed is back. An entry written by another instance is therefore served at most one
// notification delay after that write commits.
//
// A TTL bounds whatever could still slip through (a notification lost without the listening
// connection noticing, a bug): an entry older than `ttlMs`, counted from before its read
// began, is never served.
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
  /** Longest an entry is served, from the moment its read began. */
  ttlMs?: number;
  /** Milliseconds on a monotonic clock; injected by tests. */
  clock?: () => number;
  /** False when the cache starts before it can learn of every write (a change feed not yet listening). */
  coherent?: boolean;
  /** Hit/miss counting for metrics; `cache` names the layer that looked. */
  onLookup?: (cache: string, hit: boolean) => void;
}

/** The generations a value was read under; compare with `current()` before serving it. */
export interface CacheStamp {
  readonly local: number;
  readonly external: number;
  /** `clock()` when the stamp was taken, before the read: the age of what is read under it. */
  readonly at: number;
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
  /**
   * Whether every write is known to reach `invalidate` (the change feed is listening). While
   * false nothing is served or stored; each switch also empties the cache, so entries from
   * before a gap, when writes may have been missed, are never served after it.
   */
  setCoherent(coherent: boolean): void;
}

export function createCatalogPageCache(options: CatalogPageCacheOptions = {}): CatalogPageCache {
  const maxEntries = options.maxEntries ?? 1000;
  const externalVersion = options.externalVersion ?? (() => 0);
  const ttlMs = options.ttlMs ?? 30_000;
  const clock = options.clock ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  let local = 0;
  let coherent = options.coherent ?? true;

  const isCurrent = (stamp: CacheStamp) =>
    coherent && stamp.local === local && stamp.external === externalVersion() && clock() - stamp.at < ttlMs;
  const invalidate = () => {
    local += 1;
    entries.clear();
  };

  return {
    get(cache: string, key: string): unknown {
      const entry = entries.get(key);
      const hit = entry !== undefined && isCurrent(entry.stamp);
      options.onLookup?.(cache, hit);
      return hit ? entry.value : undefined;
    },
    stamp: () => ({ local, external: externalVersion(), at: clock() }),
    set(key, stamp, value) {
      if (!isCurrent(stamp)) return;
      if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value!);
      entries.set(key, { stamp, value });
    },
    invalidate,
    setCoherent(next) {
      coherent = next;
      invalidate();
    },
  };
}

/** Runs a write and invalidates once it has settled, before its caller sees the outcome. */
export function invalidating<T>(cache: CatalogPageCache | undefined, write: Promise<T>): Promise<T> {
  return cache ? write.finally(() => cache.invalidate()) : write;
}
