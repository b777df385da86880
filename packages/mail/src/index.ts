export {
  accountMailEventTypes,
  accountMailHandlers,
  type AccountMailAuth,
  type AccountMailDeps,
  type AccountMailEventType,
  type AccountMailOutcome,
} from "./account-handlers.ts";
export { loadMailConfig, mailConfigSchema, mailConfigShape, type MailConfig } from "./config.ts";
export { escapeHtml, html, Html, plain } from "./escape.ts";
export { linkTo, tokenFromHash } from "./links.ts";
export {
  orderMailEventTypes,
  orderMailHandlers,
  type OrderMailDeps,
  type OrderMailEventType,
  type OrderMailReader,
} from "./order-handlers.ts";
export { createMailer, type Mailer, type MailerDeps, type Outgoing, type SentMail } from "./mailer.ts";
export {
  emailVerification,
  formatMoney,
  lowStock,
  orderCancelled,
  orderConfirmation,
  orderShipped,
  passwordReset,
  registrationRepeated,
  type MailMessage,
  type OrderLineForMail,
} from "./templates.ts";
