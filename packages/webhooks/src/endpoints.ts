// Webhook endpoints, as the admin manages them: create (the secret is shown once), list,
// update, rotate the secret, and the delivery log. Dependencies are explicit so the tests
// run it without HTTP: the database, the clock, the sealing key and the URL policy.
import {
  DomainError,
  MAX_WEBHOOK_ENDPOINTS,
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
  type WebhookEventType,
} from "@cartwheel/contracts";
import { newId, type Database, type OutboxWriter } from "@cartwheel/db";
import { count, desc, eq } from "drizzle-orm";
import { resolveWebhookTarget, WebhookUrlRefused } from "./address-guard.ts";
import { createDeliveries } from "./deliveries.ts";
import { sealSecret } from "./secret-box.ts";
import { generateWebhookSecret } from "./signing.ts";

export interface WebhookServiceDeps {
  database: Database;
  now: () => Date;
  /** deriveWebhookSecretKey(AUTH_SECRET): seals the signing secrets at rest. */
  secretKey: Buffer;
  /**
   * WEBHOOK_ALLOW_PRIVATE=1: http and private addresses are accepted (tests, development).
   * Otherwise only https URLs that resolve to public addresses, at creation and on every attempt.
   */
  allowPrivate: boolean;
  /** The outbox; a redelivery is recorded there so an API-only instance can ask for one. */
  events?: OutboxWriter;
  /** The URL check; resolveWebhookTarget unless a test replaces DNS. */
  checkUrl?: (url: string, allowPrivate: boolean) => Promise<unknown>;
}

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const endpointNotFound = (id: string) =>
  new DomainError("not_found", "No such webhook endpoint.", { entity: "webhook_endpoint", ids: [id] });

/** The stored event types are the input schema's, so they are webhook event types. */
const view = (row: { eventTypes: string[] } & Omit<WebhookEndpointView, "eventTypes">): WebhookEndpointView => ({
  ...row,
  eventTypes: row.eventTypes as WebhookEventType[],
});

export function createWebhookService(deps: WebhookServiceDeps) {
  const { database, now, secretKey, allowPrivate } = deps;
  const { db, schema: s } = database;
  const e = s.webhookEndpoints;
  const checkUrl = deps.checkUrl ?? resolveWebhookTarget;
  const columns = {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };

  /** Refuses a URL the deliveries would refuse too, so the admin hears it now, as a 400. */
  async function allowedUrl(url: string): Promise<void> {
    try {
      await checkUrl(url, allowPrivate);
    } catch (error) {
      const reason = error instanceof WebhookUrlRefused ? error.message : "it could not be checked";
      throw new DomainError("webhook_url_refused", `This webhook URL is refused: ${reason}.`, { field: "url" });
    }
  }

  async function find(id: string) {
    const [row] = await db.select(columns).from(e).where(eq(e.id, id));
    if (!row) throw endpointNotFound(id);
    return view(row);
  }

  return {
    /** The returned `secret` is the only time it is shown; it is stored sealed. */
    async create(input: CreateWebhookEndpointInput): Promise<WebhookEndpointView & { secret: string }> {
      // Counted first: a full shop answers at once, without resolving the URL.
      const [existing] = await db.select({ n: count() }).from(e);
      if ((existing?.n ?? 0) >= MAX_WEBHOOK_ENDPOINTS) {
        throw new DomainError(
          "webhook_endpoint_limit",
          `There are ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints already; point one of them elsewhere (update) instead.`,
          { max: MAX_WEBHOOK_ENDPOINTS },
        );
      }
      await allowedUrl(input.url);
      const id = newId();
      const secret = generateWebhookSecret();
      const at = now();
      const [row] = await db
        .insert(e)
        .values({
          id,
          url: input.url,
          description: input.description,
          eventTypes: input.eventTypes,
          secretCiphertext: sealSecret(secretKey, id, secret),
          createdAt: at,
          updatedAt: at,
        })
        .returning(columns);
      return { ...view(row!), secret };
    },

    async list(): Promise<WebhookEndpointView[]> {
      const rows = await db.select(columns).from(e).orderBy(desc(e.createdAt), desc(e.id));
      return rows.map(view);
    },

    async update(input: UpdateWebhookEndpointInput): Promise<WebhookEndpointView> {
      const current = await find(input.id);
      if (input.url !== undefined && input.url !== current.url) await allowedUrl(input.url);
      const [row] = await db
        .update(e)
        .set({
          ...(input.url !== undefined && { url: input.url }),
          ...(input.description !== undefined && { description: input.description }),
          ...(input.eventTypes !== undefined && { eventTypes: input.eventTypes }),
          ...(input.enabled !== undefined && { enabled: input.enabled }),
          updatedAt: now(),
        })
        .where(eq(e.id, input.id))
        .returning(columns);
      if (!row) throw endpointNotFound(input.id);
      return view(row);
    },

    /** A new secret at once (deliveries from now on sign with it); shown this once. */
    async rotateSecret(id: string): Promise<{ id: string; secret: string }> {
      const secret = generateWebhookSecret();
      const [row] = await db
        .update(e)
        .set({ secretCiphertext: sealSecret(secretKey, id, secret), updatedAt: now() })
        .where(eq(e.id, id))
        .returning({ id: e.id });
      if (!row) throw endpointNotFound(id);
      return { id: row.id, secret };
    },

    /** The endpoints an event of `type` goes to: enabled and subscribed (at most MAX_WEBHOOK_ENDPOINTS). */
    async subscribers(type: string): Promise<string[]> {
      const rows = await db.select({ id: e.id, eventTypes: e.eventTypes }).from(e).where(eq(e.enabled, true));
      return rows.filter((row) => row.eventTypes.includes(type)).map((row) => row.id);
    },

    ...createDeliveries(deps, { find }),
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
