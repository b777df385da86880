import { ORDER_EVENTS_PAGE } from "@cartwheel/contracts";
import type { ChangeFeed, Database } from "@cartwheel/db";
import {
  latestOrderEventSeq,
  matches,
  type OrderFeedEvent,
  type OrderFeedFilter,
  readOrderEvents,
} from "./order-feed.ts";

/** Why a stream ended from the server's side; tRPC then closes it without `return`, so clients reconnect. */
export class StreamEndedError extends Error {
  override name = "AbortError";
}

export interface StreamOptions {
  /** Resume after this event id; null starts at the present. */
  afterSeq: number | null;
  filter: OrderFeedFilter;
  signal: AbortSignal;
  /** Asked before each batch is sent; throwing ends the stream with that error. */
  authorize: () => Promise<void>;
}

export interface OrderEventHubOptions {
  database: Database;
  /** Other processes' commits (PostgreSQL); absent where only this process writes. */
  feed?: ChangeFeed | undefined;
  /** Safety net read while the feed is down or absent, and every so often while it is up. */
  pollMs?: { feedDown: number; feedUp: number };
  onError?: (error: unknown) => void;
}

export type OrderEventHub = ReturnType<typeof createOrderEventHub>;

interface Listener {
  filter: OrderFeedFilter;
  push(events: OrderFeedEvent[]): void;
  end(error: Error): void;
}

/**
 * One per process: reads each committed order event once from the table (in commit order,
 * `seq > head`) when woken, and hands it to the streams whose filter it passes. Wakes come
 * from this process's own commits (`committed`), the feed (other instances) and a poll,
 * which also covers notifications lost while the feed reconnected.
 */
export function createOrderEventHub(options: OrderEventHubOptions) {
  const { database, feed } = options;
  const pollMs = options.pollMs ?? { feedDown: 1000, feedUp: 10_000 };
  const listeners = new Set<Listener>();
  let head: number | null = null;
  // Where the hub starts, read once it has listeners: events above it reach them live, and
  // events at or below it committed before a stream's backlog read, which finds them.
  let headReady: Promise<number> | null = null;
  let reading: Promise<void> | null = null;
  let again = false;
  let feedUp = false;
  let unsubscribeFeed: (() => void) | null = null;
  let poll: NodeJS.Timeout | undefined;
  let closedWith: Error | null = null;

  const schedulePoll = () => {
    clearTimeout(poll);
    if (listeners.size === 0) return;
    poll = setTimeout(wake, feed && feedUp ? pollMs.feedUp : pollMs.feedDown);
    poll.unref();
  };

  async function readNew() {
    const start = headReady;
    if (!start) return;
    head ??= await start;
    for (;;) {
      again = false;
      const events = await readOrderEvents(database, head, {}, ORDER_EVENTS_PAGE);
      if (headReady !== start) return; // everyone left meanwhile
      const last = events.at(-1);
      if (last) head = last.seq;
      for (const listener of listeners) {
        const mine = events.filter((event) => matches(event, listener.filter));
        if (mine.length > 0) listener.push(mine);
      }
      if (events.length < ORDER_EVENTS_PAGE && !again) return;
    }
  }

  function wake() {
    if (listeners.size === 0) return;
    if (reading) {
      again = true;
      return;
    }
    reading = readNew()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        reading = null;
        if (again) wake();
        else schedulePoll();
      });
  }

  function attach(listener: Listener) {
    listeners.add(listener);
    if (!headReady) {
      const ready = latestOrderEventSeq(database);
      headReady = ready;
      ready.catch(() => {
        if (headReady === ready) headReady = null;
      });
    }
    if (feed && !unsubscribeFeed) {
      unsubscribeFeed = feed.subscribe(wake, (state) => {
        feedUp = state.listening;
        // Back from an outage: whatever committed meanwhile is read now, from the table.
        if (state.listening) wake();
      });
    }
    schedulePoll();
  }

  function detach(listener: Listener) {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    clearTimeout(poll);
    unsubscribeFeed?.();
    unsubscribeFeed = null;
    feedUp = false;
    // Nobody listens meanwhile: the next listener starts the hub again from the table's present.
    head = null;
    headReady = null;
  }

  /**
   * Backlog then live events for one subscriber: the live listener is attached first and
   * buffers, the backlog is read after it, and buffered events at or below the last one sent
   * are dropped, so nothing committed around the switch is missed or sent twice.
   */
  async function* stream(opts: StreamOptions): AsyncGenerator<OrderFeedEvent, void> {
    if (closedWith) throw closedWith;
    let buffered: OrderFeedEvent[] = [];
    let ended: Error | null = null;
    let wakeUp: (() => void) | null = null;
    const signalled = () => {
      wakeUp?.();
      wakeUp = null;
    };
    const listener: Listener = {
      filter: opts.filter,
      push(events) {
        buffered.push(...events);
        signalled();
      },
      end(error) {
        ended = error;
        signalled();
      },
    };
    const onAbort = () => signalled();
    opts.signal.addEventListener("abort", onAbort);
    attach(listener);
    try {
      const hubStart = await headReady!;
      let last = opts.afterSeq;
      if (last === null) {
        last = hubStart;
      } else {
        for (;;) {
          const page = await readOrderEvents(database, last, opts.filter, ORDER_EVENTS_PAGE);
          if (page.length === 0) break;
          await opts.authorize();
          for (const event of page) yield event;
          last = page.at(-1)!.seq;
          if (page.length < ORDER_EVENTS_PAGE) break;
        }
      }
      while (!opts.signal.aborted) {
        if (ended) throw ended;
        const fresh = buffered.filter((event) => event.seq > last!);
        buffered = [];
        if (fresh.length > 0) {
          await opts.authorize();
          for (const event of fresh) yield event;
          last = fresh.at(-1)!.seq;
          continue;
        }
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          if (buffered.length > 0 || ended || opts.signal.aborted) signalled();
        });
      }
    } finally {
      opts.signal.removeEventListener("abort", onAbort);
      detach(listener);
    }
  }

  return {
    stream,
    /** This process committed order events: read them now rather than at the next poll. */
    committed: wake,
    /** Streams open right now. */
    get openStreams() {
      return listeners.size;
    },
    /** Ends every stream so clients reconnect (to another instance, during shutdown). */
    close(reason = "The server is restarting. Reconnect to continue.") {
      closedWith = new StreamEndedError(reason);
      for (const listener of listeners) listener.end(closedWith);
    },
  };
}
