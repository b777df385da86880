export { generateWebhookSecret, secretKeyBytes, signWebhook } from "./signing.ts";
export type { SignedHeaders } from "./signing.ts";
export { nextAttemptDelay, WEBHOOK_MAX_ATTEMPTS } from "./retry.ts";
export { isPublicAddress, resolveWebhookTarget, WebhookUrlRefused } from "./address-guard.ts";
export type { ResolvedTarget } from "./address-guard.ts";
export { deliverWebhook } from "./deliver.ts";
export type { DeliveryAttempt, DeliveryRequest } from "./deliver.ts";
