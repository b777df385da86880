import type { IncomingMessage } from "node:http";
import type { Actor } from "@cartwheel/api";
import type { Logger } from "@cartwheel/observability";
import type { PlainResponse } from "./fast-path/index.ts";

/** Per-request values the middleware chain hands to later middleware and the tRPC context. */
export interface AppEnv {
  /** What @hono/node-server passes; absent for in-process requests (app.request). */
  Bindings: { incoming?: IncomingMessage };
  Variables: {
    requestId: string;
    logger: Logger;
    /** Client address after TRUST_PROXY is applied. */
    ip: string;
    actor: Actor | null;
    /** Why a presented API key was refused (middleware/authenticate.ts); answered with 401. */
    credentialRejection?: string;
    /** Set when the response was answered from memory with plain headers (fast-path/plain-response.ts). */
    plainResponse?: PlainResponse;
  };
}
