import type { Role } from "@cartwheel/db";

const rank: Record<Role, number> = { customer: 0, staff: 1, admin: 2 };

/** The less privileged of two roles. */
export const lowerRole = (a: Role, b: Role): Role => (rank[a] <= rank[b] ? a : b);
