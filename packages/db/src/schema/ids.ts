import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

// Random bytes are drawn from the CSPRNG a page at a time (as node's own randomUUID does):
// one call per id cost a few percent of the server's CPU on writes that create several rows.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

function randomBytes16(): Uint8Array {
  if (offset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 16);
  offset += 16;
  return bytes;
}

// RFC 9562 method 1 (a counter seeded randomly each millisecond), kept here because `uuid`
// only applies it when it draws the random bytes itself: ids made in the same millisecond
// still sort in creation order.
let lastMs = -Infinity;
let sequence = 0;

/** Time-ordered ids: new rows land at the end of the primary-key index and sort by creation. */
export const newId = (): string => {
  const random = randomBytes16();
  const now = Date.now();
  if (now > lastMs) {
    // 31 random bits, top bit clear, so the counter has room to grow within the millisecond.
    sequence = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    lastMs = now;
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMs++; // counter overflow: borrow the next millisecond
  }
  return v7({ random, msecs: lastMs, seq: sequence });
};
