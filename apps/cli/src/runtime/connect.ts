import { type CartwheelClient, type CartwheelTokens, createCartwheelClient } from "@cartwheel/client";
import { CliError } from "./errors.ts";
import { readCredentials, writeCredentials } from "./credentials.ts";
import { note } from "./output.ts";
import { fetchWaitingOutRateLimits, type RateLimitWait } from "./rate-limit-fetch.ts";

const DEFAULT_URL = "http://127.0.0.1:3000";
const USER_AGENT = "cartwheel-cli/0.1.0";

export interface Connection {
  readonly client: CartwheelClient;
  readonly url: string;
}

/** Where to send requests: --url, then CARTWHEEL_URL, then the stored login, then the default. */
export function resolveUrl(flag?: string): string {
  return flag ?? process.env.CARTWHEEL_URL ?? readCredentials()?.url ?? DEFAULT_URL;
}

/** A client with no credentials, for login. */
export function anonymousClient(url: string): CartwheelClient {
  return createCartwheelClient({ url, headers: { "user-agent": USER_AGENT } });
}

/** Progress on stderr, so `--json` output on stdout stays a clean document. */
function reportWait({ seconds, limit }: RateLimitWait): void {
  const allowance = limit === null ? "" : ` (${limit} calls a minute)`;
  note(`Rate limited by the server${allowance}; continuing in ${seconds} s…`);
}

/**
 * A client authenticated for scripts (CARTWHEEL_API_KEY, then CARTWHEEL_TOKEN) or by the
 * stored login, whose refreshed tokens are written back so the next run reuses them. It
 * waits out rate limits, so bulk commands finish under the server's default limits.
 * (Login stays on anonymousClient: a throttled login is an answer, not a pause.)
 */
export function connect(): Connection {
  const apiKey = process.env.CARTWHEEL_API_KEY;
  const token = process.env.CARTWHEEL_TOKEN;
  const stored = readCredentials();
  const url = resolveUrl();
  const headers = { "user-agent": USER_AGENT };
  const fetch = fetchWaitingOutRateLimits({ onWait: reportWait });
  if (apiKey) return { url, client: createCartwheelClient({ url, apiKey, headers, fetch }) };
  if (token) return { url, client: createCartwheelClient({ url, tokens: { accessToken: token }, headers, fetch }) };
  if (!stored) throw new CliError("Not logged in: run `cartwheel login` or set CARTWHEEL_API_KEY.");
  const onTokens = (tokens: CartwheelTokens | null) => {
    if (tokens) writeCredentials({ ...stored, tokens });
  };
  return { url, client: createCartwheelClient({ url, tokens: stored.tokens, onTokens, headers, fetch }) };
}
