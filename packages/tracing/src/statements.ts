import { SpanKind } from "@opentelemetry/api";
import { failSpan, startChildSpan, tracingEnabled } from "./tracer.ts";

export type DatabaseSystem = "postgresql" | "sqlite";

/** Bounded: db.query.text is for reading a slow statement, not for storing bulk SQL. */
const MAX_SQL_LENGTH = 2048;

/** `insert`, `select`, `begin`…: the statement's first keyword, for the span name. */
function operationOf(sql: string): string {
  const match = /^\s*(?:\(\s*)?([A-Za-z]+)/.exec(sql);
  return match ? match[1]!.toUpperCase() : "QUERY";
}

/**
 * A statement tracer for @cartwheel/db's query observer: one client span per statement
 * inside a request or job, with its SQL text. The SQL is the parameterised text drizzle sends ($1, ?): values travel
 * separately and never reach the span. Undefined while tracing is off, so the observer
 * is not even installed.
 */
export function statementSpans(
  system: DatabaseSystem,
): ((sql: string) => ((error?: unknown) => void) | undefined) | undefined {
  if (!tracingEnabled()) return undefined;
  return (sql) => {
    const operation = operationOf(sql);
    const span = startChildSpan(operation, {
      kind: SpanKind.CLIENT,
      attributes: {
        "db.system.name": system,
        "db.operation.name": operation,
        "db.query.text": sql.length > MAX_SQL_LENGTH ? `${sql.slice(0, MAX_SQL_LENGTH)}…` : sql,
      },
    });
    if (!span) return undefined;
    return (error) => {
      if (error !== undefined) failSpan(span, error);
      span.end();
    };
  };
}
