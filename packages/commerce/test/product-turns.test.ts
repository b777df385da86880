// Placements of one product take turns in the process; other products do not wait.
import { describe, expect, it } from "vitest";
import { createProductTurns } from "../src/product-turns.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("product turns", () => {
  it("runs the placements of one product one at a time, in arrival order", async () => {
    const turns = createProductTurns();
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        turns.run(["p"], async () => {
          inside += 1;
          most = Math.max(most, inside);
          await tick();
          order.push(n);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it("lets different products run side by side", async () => {
    const turns = createProductTurns();
    let inside = 0;
    let most = 0;
    await Promise.all(
      ["a", "b", "c"].map((id) =>
        turns.run([id], async () => {
          inside += 1;
          most = Math.max(most, inside);
          await tick();
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(3);
  });

  it("never deadlocks overlapping multi-product placements, and a failed one releases its turns", async () => {
    const turns = createProductTurns();
    const held = new Set<string>();
    const overlaps: string[] = [];
    const place = (ids: string[], fail = false) =>
      turns.run(ids, async () => {
        for (const id of ids) if (held.has(id)) overlaps.push(id);
        for (const id of ids) held.add(id);
        await tick();
        for (const id of ids) held.delete(id);
        if (fail) throw new Error("rejected");
      });
    const results = await Promise.allSettled([
      place(["a", "b"]),
      place(["b", "c"], true),
      place(["a", "c"]),
      place(["a", "b", "c"]),
      place(["c"]),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect(overlaps).toEqual([]);
    // Everything released: a new placement of every product gets its turn at once.
    await expect(place(["a", "b", "c"])).resolves.toBeUndefined();
  });
});
