export { createLogger, type Logger, type LoggerOptions, type LogLevel } from "./logger.ts";
export { createMetrics, type Metrics, type MetricsOptions } from "./metrics.ts";
