// Every message Cartwheel sends, each as a subject, a plain-text part and an HTML part built
// from the same values. Values from people (names, product names, carriers, tracking numbers)
// pass through `html` (escaped) and `plain` (control characters dropped); links are built by
// links.ts from PUBLIC_URL, never from input.
import { formatMoney as formatCurrency } from "@cartwheel/contracts/money";
import { html, plain, type Html } from "./escape.ts";

export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

const layout = (title: string, body: Html): string =>
  html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
      </head>
      <body
        style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933; max-width: 36rem; margin: 0 auto; padding: 1rem"
      >
        ${body}
        <p style="color: #616e7c; font-size: 0.875rem">Cartwheel</p>
      </body>
    </html> `.value;

const button = (href: string, label: string) =>
  html`<p>
      <a
        href="${href}"
        style="display: inline-block; padding: 0.5rem 1rem; background: #2563eb; color: #fff; text-decoration: none; border-radius: 0.25rem"
        >${label}</a
      >
    </p>
    <p style="font-size: 0.875rem">Or paste this address into your browser: ${href}</p>`;

const lines = (...parts: (string | false | undefined)[]) =>
  `${parts.filter((part): part is string => typeof part === "string").join("\n")}\n`;

function message(subject: string, text: string, body: Html): MailMessage {
  return { subject: plain(subject).replace(/[\r\n\t]+/g, " "), text, html: layout(subject, body) };
}

/**
 * A price as the web app shows it (the shared helper, so minor units follow the currency), in
 * English like the rest of the message rather than in whatever locale the worker runs under.
 */
export const formatMoney = (cents: number, currency: string): string => formatCurrency(cents, currency, "en");

export function emailVerification(input: { name: string; link: string }): MailMessage {
  const name = plain(input.name);
  return message(
    "Confirm your e-mail address",
    lines(
      `Hello ${name},`,
      "",
      "Please confirm that this is your e-mail address by opening this link:",
      input.link,
      "",
      "If you did not create a Cartwheel account, you can ignore this message.",
    ),
    html`<p>Hello ${name},</p>
      <p>Please confirm that this is your e-mail address.</p>
      ${button(input.link, "Confirm my address")}
      <p>If you did not create a Cartwheel account, you can ignore this message.</p>`,
  );
}

export function registrationRepeated(input: { name: string; signInLink: string; resetLink: string }): MailMessage {
  const name = plain(input.name);
  return message(
    "Someone tried to register with your address",
    lines(
      `Hello ${name},`,
      "",
      "Someone just tried to create a Cartwheel account with this e-mail address, which already has one.",
      "If it was you, sign in instead:",
      input.signInLink,
      "",
      "Forgot your password? Choose a new one here:",
      input.resetLink,
      "",
      "If it was not you, you can ignore this message: nothing about your account has changed.",
    ),
    html`<p>Hello ${name},</p>
      <p>Someone just tried to create a Cartwheel account with this e-mail address, which already has one.</p>
      <p>
        If it was you, <a href="${input.signInLink}">sign in</a> instead, or
        <a href="${input.resetLink}">choose a new password</a> if you forgot it.
      </p>
      <p>If it was not you, you can ignore this message: nothing about your account has changed.</p>`,
  );
}

export function passwordReset(input: { name: string; link: string; validMinutes: number }): MailMessage {
  const name = plain(input.name);
  return message(
    "Choose a new password",
    lines(
      `Hello ${name},`,
      "",
      `Someone asked to reset the password of your Cartwheel account. This link works once, for ${input.validMinutes} minutes:`,
      input.link,
      "",
      "If you did not ask for it, ignore this message: your password stays as it is.",
    ),
    html`<p>Hello ${name},</p>
      <p>
        Someone asked to reset the password of your Cartwheel account. This link works once, for ${input.validMinutes}
        minutes.
      </p>
      ${button(input.link, "Choose a new password")}
      <p>If you did not ask for it, ignore this message: your password stays as it is.</p>`,
  );
}

export interface OrderLineForMail {
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export function orderConfirmation(input: {
  name: string;
  orderId: string;
  lines: readonly OrderLineForMail[];
  totalCents: number;
  currency: string;
  link: string;
}): MailMessage {
  const name = plain(input.name);
  const money = (cents: number) => formatMoney(cents, input.currency);
  const textLines = input.lines.map(
    (line) => `  ${line.quantity} × ${plain(line.name)}  ${money(line.unitPriceCents)}`,
  );
  const rows = input.lines.map(
    (line) =>
      html`<tr>
        <td>${line.quantity} ×</td>
        <td>${line.name}</td>
        <td style="text-align: right">${money(line.unitPriceCents)}</td>
      </tr>`,
  );
  return message(
    "Thank you for your order",
    lines(
      `Hello ${name},`,
      "",
      `We have your order ${input.orderId}:`,
      ...textLines,
      `Total: ${money(input.totalCents)}`,
      "",
      "See it here:",
      input.link,
    ),
    html`<p>Hello ${name},</p>
      <p>We have your order ${input.orderId}:</p>
      <table>
        ${rows}
        <tr>
          <td></td>
          <td><strong>Total</strong></td>
          <td style="text-align: right"><strong>${money(input.totalCents)}</strong></td>
        </tr>
      </table>
      ${button(input.link, "See your order")}`,
  );
}

export function orderShipped(input: {
  name: string;
  orderId: string;
  carrier?: string | null;
  trackingNumber?: string | null;
  link: string;
}): MailMessage {
  const name = plain(input.name);
  const carrier = input.carrier ? plain(input.carrier) : null;
  const tracking = input.trackingNumber ? plain(input.trackingNumber) : null;
  const how = [carrier && `Carrier: ${carrier}`, tracking && `Tracking number: ${tracking}`].filter(
    (part): part is string => Boolean(part),
  );
  return message(
    "Your order is on its way",
    lines(`Hello ${name},`, "", `Your order ${input.orderId} has shipped.`, ...how, "", "See it here:", input.link),
    html`<p>Hello ${name},</p>
      <p>Your order ${input.orderId} has shipped.</p>
      ${how.map((part) => html`<p>${part}</p>`)} ${button(input.link, "See your order")}`,
  );
}

export function orderCancelled(input: { name: string; orderId: string; link: string }): MailMessage {
  const name = plain(input.name);
  return message(
    "Your order was cancelled",
    lines(
      `Hello ${name},`,
      "",
      `Your order ${input.orderId} was cancelled. If you paid for it, the payment is refunded.`,
      "",
      "See it here:",
      input.link,
    ),
    html`<p>Hello ${name},</p>
      <p>Your order ${input.orderId} was cancelled. If you paid for it, the payment is refunded.</p>
      ${button(input.link, "See your order")}`,
  );
}

export function lowStock(input: { productName: string; stock: number; threshold: number; link: string }): MailMessage {
  const product = plain(input.productName);
  return message(
    "A product is running low",
    lines(
      `${product} is down to ${input.stock} in stock (the low-stock threshold is ${input.threshold}).`,
      "",
      "Restock it here:",
      input.link,
    ),
    html`<p>
        <strong>${product}</strong> is down to ${input.stock} in stock (the low-stock threshold is ${input.threshold}).
      </p>
      ${button(input.link, "Open the product")}`,
  );
}
