import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/index.ts";

function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), text: () => lines.join("") };
}

describe("logger redaction", () => {
  it("never writes passwords, tokens, cookies or Authorization values", () => {
    const { logger, text } = captureLogger();
    const secrets = {
      password: "hunter2-password",
      newPassword: "new-password-value",
      currentPassword: "current-password-value",
      accessToken: "eyJaccess.token.value",
      refreshToken: "refresh-id.refresh-secret",
      token: "plain-token-value",
      apiKey: "cwk_live_api_key_value",
      secret: "shared-secret-value",
    };
    logger.info(secrets, "top level");
    logger.info({ input: secrets }, "nested one level");
    logger.info({ body: { user: { password: "deep-password", token: "deep-token" } } }, "nested two levels");
    logger.info(
      {
        headers: {
          authorization: "Bearer header-bearer-token",
          cookie: "__Host-refresh=cookie-value",
          "x-api-key": "header-api-key",
          "set-cookie": "refresh=set-cookie-value",
        },
        req: { headers: { authorization: "Bearer req-bearer-token", cookie: "sid=req-cookie-value" } },
        authorization: "Basic dXNlcjpwYXNz",
        cookie: "bare-cookie-value",
      },
      "headers",
    );

    const output = text();
    const leaked = [
      ...Object.values(secrets),
      "deep-password",
      "deep-token",
      "header-bearer-token",
      "cookie-value",
      "header-api-key",
      "req-bearer-token",
      "dXNlcjpwYXNz",
      "bare-cookie-value",
    ].filter((value) => output.includes(value));
    expect(leaked).toEqual([]);
    expect(output.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(20);
    // Non-secret fields still come through.
    expect(output).toContain('"msg":"nested two levels"');
  });
});
