// Service-to-service credentials. The prefix tells keys apart from JWTs at a glance
// (and lets secret scanners find leaked ones); only the SHA-256 of the secret is stored.
import type { Database, Role } from "@cartwheel/db";
import { desc, eq } from "drizzle-orm";
import { generateSecret, hashSecret, secretMatches, splitToken } from "./crypto.ts";
import { AuthError } from "./errors.ts";

export const API_KEY_PREFIX = "cwk_";
/** lastUsedAt is coarse on purpose: one write a minute per key, not one per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function createApiKeys({ database, now }: { database: Database; now: () => Date }) {
  const { db, schema: s } = database;
  const columns = {
    id: s.apiKeys.id,
    name: s.apiKeys.name,
    role: s.apiKeys.role,
    createdAt: s.apiKeys.createdAt,
    expiresAt: s.apiKeys.expiresAt,
    lastUsedAt: s.apiKeys.lastUsedAt,
    revokedAt: s.apiKeys.revokedAt,
  };

  return {
    /** The returned `key` is the only time the secret exists in clear: show it once. */
    async create(input: { name: string; role: Role; expiresAt?: Date | null; createdById: string | null }) {
      if (input.expiresAt && input.expiresAt <= now()) {
        throw new AuthError("INVALID_INPUT", "The expiry must be in the future.", { field: "expiresAt" });
      }
      const secret = generateSecret();
      const [info] = await db
        .insert(s.apiKeys)
        .values({
          name: input.name,
          role: input.role,
          expiresAt: input.expiresAt ?? null,
          createdById: input.createdById,
          secretHash: hashSecret(secret),
          createdAt: now(),
        })
        .returning(columns);
      return { ...info!, key: `${API_KEY_PREFIX}${info!.id}.${secret}` };
    },

    list(): Promise<ApiKeyInfo[]> {
      return db.select(columns).from(s.apiKeys).orderBy(desc(s.apiKeys.createdAt));
    },

    async revoke(id: string): Promise<void> {
      const revoked = await db
        .update(s.apiKeys)
        .set({ revokedAt: now() })
        .where(eq(s.apiKeys.id, id))
        .returning({ id: s.apiKeys.id });
      if (revoked.length === 0) throw new AuthError("NOT_FOUND", "No such API key.");
    },

    /** The key's id and role when it is genuine, live and unexpired; else null. */
    async verify(key: string): Promise<{ id: string; role: Role } | null> {
      const parsed = key.startsWith(API_KEY_PREFIX) ? splitToken(key.slice(API_KEY_PREFIX.length)) : null;
      if (!parsed) return null;
      const [row] = await db
        .select({ ...columns, secretHash: s.apiKeys.secretHash })
        .from(s.apiKeys)
        .where(eq(s.apiKeys.id, parsed.id));
      const at = now();
      if (!row || !secretMatches(parsed.secret, row.secretHash)) return null;
      if (row.revokedAt || (row.expiresAt && row.expiresAt <= at)) return null;
      if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await db.update(s.apiKeys).set({ lastUsedAt: at }).where(eq(s.apiKeys.id, row.id));
      }
      return { id: row.id, role: row.role };
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
