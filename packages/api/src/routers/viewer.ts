import type { Viewer } from "@cartwheel/commerce";
import type { Actor } from "../context.ts";
import { isStaff } from "../trpc.ts";

/** The commerce services' view of the caller. */
export function viewerOf(actor: Actor): Viewer;
export function viewerOf(actor: Actor | null): Viewer | null;
export function viewerOf(actor: Actor | null): Viewer | null {
  return actor ? { id: actor.id, staff: isStaff(actor) } : null;
}
