import { describe, expect, it } from "vitest";
import { html } from "../src/escape.ts";
import { linkTo, tokenFromHash } from "../src/links.ts";
import {
  emailVerification,
  lowStock,
  orderCancelled,
  orderConfirmation,
  orderShipped,
  passwordReset,
  registrationRepeated,
} from "../src/templates.ts";

const hostile = `<script>alert("x")</script>&'\u001b[31m`;
const link = "http://shop.test/x";

describe("templates", () => {
  const messages = {
    emailVerification: emailVerification({ name: hostile, link }),
    registrationRepeated: registrationRepeated({ name: hostile, signInLink: link, resetLink: link }),
    passwordReset: passwordReset({ name: hostile, link, validMinutes: 30 }),
    orderConfirmation: orderConfirmation({
      name: hostile,
      orderId: "o-1",
      lines: [{ name: hostile, quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
      currency: "EUR",
      link,
    }),
    orderShipped: orderShipped({ name: hostile, orderId: "o-1", carrier: hostile, trackingNumber: hostile, link }),
    orderCancelled: orderCancelled({ name: hostile, orderId: "o-1", link }),
    lowStock: lowStock({ productName: hostile, stock: 3, threshold: 5, link }),
  };

  it.each(Object.entries(messages))(
    "%s escapes every value from people in HTML and strips control characters",
    (_, message) => {
      expect(message.html).not.toContain("<script>");
      expect(message.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
      expect(message.text).toContain(`<script>alert("x")</script>&'[31m`);
      expect(message.text).not.toContain("\u001b");
      expect(message.html).toContain(`href="${link}"`);
      expect(message.text).toContain(link);
      expect(message.subject).not.toMatch(/[\r\n]/);
    },
  );

  it("shows the order's lines and total in its currency", () => {
    expect(messages.orderConfirmation.text).toContain("2 × ");
    expect(messages.orderConfirmation.text).toContain("Total: €25.00");
    expect(messages.orderConfirmation.html).toContain("€12.50");
  });

  it("formats money as the web app does, in the currency's own minor units", () => {
    const yen = orderConfirmation({
      name: "Ada",
      orderId: "o-3",
      lines: [{ name: "Tea", quantity: 1, unitPriceCents: 500 }],
      totalCents: 500,
      currency: "JPY",
      link,
    });
    expect(yen.text).toContain("Total: ¥500");
    expect(yen.text).not.toContain("¥5.00");
  });

  it("leaves carrier and tracking out of a shipped mail that has none", () => {
    const bare = orderShipped({ name: "Ada", orderId: "o-2", link });
    expect(bare.text).not.toContain("Carrier");
    expect(bare.text).not.toContain("Tracking");
    expect(messages.orderShipped.text).toContain("Tracking number: ");
  });

  it("passes markup made by the tag through, and escapes everything else", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}${"<u>"}</p>`.value).toBe("<p><b>&lt;i&gt;</b>&lt;u&gt;</p>");
  });
});

describe("links", () => {
  it("puts the token in the fragment, under PUBLIC_URL with or without a path", () => {
    expect(linkTo("https://shop.test", "reset-password", "id.secret")).toBe(
      "https://shop.test/reset-password#token=id.secret",
    );
    expect(linkTo("https://shop.test/store/", "verify-email", "a+b")).toBe(
      "https://shop.test/store/verify-email#token=a%2Bb",
    );
    expect(tokenFromHash("#token=a%2Bb")).toBe("a+b");
    expect(tokenFromHash("#other=1")).toBeNull();
  });
});
