// Value sets shared by both dialects, declared in @cartwheel/contracts. Stored as plain text
// (not native enums) so the SQLite and PostgreSQL schemas stay column-for-column identical.
export {
  accountTokenPurposes,
  jobStates,
  orderStatuses,
  roles,
  stockReasons,
  webhookDeliveryOutcomes,
  type AccountTokenPurpose,
  type JobState,
  type OrderStatus,
  type Role,
  type StockReason,
  type WebhookDeliveryOutcome,
} from "@cartwheel/contracts/enums";
