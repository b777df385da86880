// The mail settings, one schema for the server, the worker and the CLI. Without SMTP_URL a
// development or test process drops each message as an .eml file instead of sending it; a
// production process refuses to start, since mail it cannot send would vanish silently.
import { z } from "zod";

const smtpUrl = z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL." }).optional();

const httpUrl = z.url({ protocol: /^https?$/, error: "PUBLIC_URL must be an http:// or https:// URL." });

/** The fields, for a server config to merge into its own object schema. */
export const mailConfigShape = {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465` (TLS from the start). */
  SMTP_URL: z.preprocess((value) => (value === "" ? undefined : value), smtpUrl),
  /** The From header: an address, or `Name <address>`. */
  MAIL_FROM: z.string().trim().min(3).max(320).default("Cartwheel <no-reply@localhost>"),
  /** Where messages go as .eml files when there is no SMTP_URL (development and tests only). */
  MAIL_DROP_DIRECTORY: z.string().min(1).max(4096).default("data/mail"),
  /** The address people open the web app at; links in mail point there. */
  PUBLIC_URL: httpUrl.default("http://localhost:3000"),
} as const;

export const mailConfigSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    ...mailConfigShape,
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV === "production" && !config.SMTP_URL) {
      context.addIssue({ code: "custom", path: ["SMTP_URL"], message: "Production needs SMTP_URL to send mail." });
    }
  });

export type MailConfig = z.infer<typeof mailConfigSchema>;

/** Reads the mail settings from an environment (process.env by default); throws a ZodError when they are wrong. */
export const loadMailConfig = (env: Record<string, string | undefined> = process.env): MailConfig =>
  mailConfigSchema.parse(env);
