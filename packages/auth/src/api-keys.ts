// Service-to-service credentials. The prefix tells keys apart from JWTs at a glance
// (and lets secret scanners find leaked ones); only the SHA-256 of the secret is stored.
//
// Every key belongs to the user who created it (a key created with another key belongs to
// that key's owner) and never grants more than its owner has now: it stops working while
// the owner is disabled (and works again once they are enabled: disabling is a suspension,
// revoking the key is the permanent end), stops for good when the owner is deleted, and is
// capped at the owner's current role when they are demoted.
import type { Database, Role } from "@cartwheel/db";
import { desc, eq } from "drizzle-orm";
import { generateSecret, hashSecret, secretMatches, splitToken } from "./crypto.ts";
import { API_KEY_MAX_LENGTH, DomainError, lowerRole } from "@cartwheel/contracts";

export const API_KEY_PREFIX = "cwk_";
/** Longer than any key this service issues (4 + 36 + 1 + 32), checked before any parsing. */
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

/** Who creates a key or acts with one: a signed-in user or another key. */
export interface KeyActor {
  kind: "user" | "apiKey";
  id: string;
}

/** Why a presented key is refused; every message is safe to show (see verify). */
const refusal = (message: string) => new DomainError("invalid_api_key", message, {});

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

  /** The user an actor stands for: the user themselves, or the key's owner (null if deleted). */
  async function ownerOf(actor: KeyActor): Promise<string | null> {
    if (actor.kind === "user") return actor.id;
    const [row] = await db.select({ owner: s.apiKeys.createdById }).from(s.apiKeys).where(eq(s.apiKeys.id, actor.id));
    return row?.owner ?? null;
  }

  return {
    ownerOf,

    /** The returned `key` is the only time the secret exists in clear: show it once. */
    async create(input: { name: string; role: Role; expiresAt?: Date | null; createdBy: KeyActor }) {
      if (input.expiresAt && input.expiresAt <= now()) {
        throw new DomainError("invalid_input", "The expiry must be in the future.", { field: "expiresAt" });
      }
      const owner = await ownerOf(input.createdBy);
      if (!owner) throw refusal("This API key no longer has an owner; it cannot create keys.");
      const secret = generateSecret();
      const [info] = await db
        .insert(s.apiKeys)
        .values({
          name: input.name,
          role: input.role,
          expiresAt: input.expiresAt ?? null,
          createdById: owner,
          secretHash: hashSecret(secret),
          createdAt: now(),
        })
        .returning(columns);
      return { ...info!, key: `${API_KEY_PREFIX}${info!.id}.${secret}` };
    },

    list(): Promise<ApiKeyInfo[]> {
      return db.select(columns).from(s.apiKeys).orderBy(desc(s.apiKeys.createdAt));
    },

    async describe(id: string): Promise<ApiKeyInfo> {
      const [row] = await db.select(columns).from(s.apiKeys).where(eq(s.apiKeys.id, id));
      if (!row) throw new DomainError("not_found", "No such API key.", { entity: "api_key", ids: [id] });
      return row;
    },

    /** Whether a key that verified earlier is still live: not revoked or expired, its owner active. */
    async isLive(id: string): Promise<boolean> {
      const [row] = await db
        .select({ revokedAt: s.apiKeys.revokedAt, expiresAt: s.apiKeys.expiresAt, ownerDisabledAt: s.users.disabledAt })
        .from(s.apiKeys)
        .innerJoin(s.users, eq(s.users.id, s.apiKeys.createdById))
        .where(eq(s.apiKeys.id, id));
      return !!row && !row.revokedAt && !row.ownerDisabledAt && (!row.expiresAt || row.expiresAt > now());
    },

    async revoke(id: string): Promise<void> {
      const revoked = await db
        .update(s.apiKeys)
        .set({ revokedAt: now() })
        .where(eq(s.apiKeys.id, id))
        .returning({ id: s.apiKeys.id });
      if (revoked.length === 0)
        throw new DomainError("not_found", "No such API key.", { entity: "api_key", ids: [id] });
    },

    /**
     * The key's id and effective role when it is genuine, live and its owner active. Anything
     * else throws INVALID_API_KEY: a caller who sent a key wants to know it failed, not to be
     * served as anonymous. Only someone who holds the secret learns more than "not valid"
     * (revoked, expired, owner disabled), because the secret is checked first.
     */
    async verify(key: string): Promise<{ id: string; role: Role }> {
      const parsed =
        key.length <= API_KEY_MAX_LENGTH && key.startsWith(API_KEY_PREFIX)
          ? splitToken(key.slice(API_KEY_PREFIX.length))
          : null;
      if (!parsed) throw refusal("The API key is not valid.");
      const [row] = await db
        .select({
          id: s.apiKeys.id,
          role: s.apiKeys.role,
          secretHash: s.apiKeys.secretHash,
          expiresAt: s.apiKeys.expiresAt,
          lastUsedAt: s.apiKeys.lastUsedAt,
          revokedAt: s.apiKeys.revokedAt,
          ownerRole: s.users.role,
          ownerDisabledAt: s.users.disabledAt,
        })
        .from(s.apiKeys)
        .leftJoin(s.users, eq(s.users.id, s.apiKeys.createdById))
        .where(eq(s.apiKeys.id, parsed.id));
      if (!row || !secretMatches(parsed.secret, row.secretHash)) throw refusal("The API key is not valid.");
      const at = now();
      if (row.revokedAt) throw refusal("This API key was revoked.");
      if (row.expiresAt && row.expiresAt <= at) throw refusal("This API key has expired.");
      if (!row.ownerRole) throw refusal("This API key's owner no longer exists.");
      if (row.ownerDisabledAt) throw refusal("This API key's owner is disabled.");
      if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await db.update(s.apiKeys).set({ lastUsedAt: at }).where(eq(s.apiKeys.id, row.id));
      }
      return { id: row.id, role: lowerRole(row.role, row.ownerRole) };
    },
  };
}
