import { generateKeyRingEntry } from "../src/index.ts";

/** The base64url key of a generated entry, so tests can check messages never contain it. */
export const keyOf = (entry: string) => entry.split(":")[1]!;

export function entries() {
  const active = generateKeyRingEntry("2026b");
  const old = generateKeyRingEntry("2026a", { active: false });
  return { active, old, text: `${active},${old}` };
}
