import pino from "pino";
import { redactSecrets } from "./redact.ts";

export type Logger = pino.Logger;
export type LogLevel = "error" | "warn" | "info" | "debug";

export interface LoggerOptions {
  level?: LogLevel;
  /**
   * Where lines go; defaults to stdout, written asynchronously: a synchronous write per line
   * (two per request) costs a large share of the server's CPU, and lines written while one
   * write is in flight go out together. pino flushes what is buffered when the process exits (also on
   * process.exit); the graceful shutdown flushes explicitly. Tests pass a stream to read them back.
   */
  destination?: pino.DestinationStream;
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? "info",
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Redaction happens in the logger itself, so a careless `log.info({ req })` cannot leak a
    // password, token or cookie: by key name at any depth, on each line's object and on child
    // bindings. See redact.ts for why not pino's path-based `redact` option.
    formatters: { level: (label) => ({ level: label }), log: redactSecrets, bindings: redactSecrets },
  };
  if (options.pretty) {
    return pino({ ...config, transport: { target: "pino-pretty", options: { colorize: true } } });
  }
  return pino(config, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
