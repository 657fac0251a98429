import { LOG_FORMATS, startTracing, useLogFormat, type Tracing } from '@case-status/logging';
import { parsed, text, trueFalse, url, oneOf } from './fields';
import { readConfig } from './read-config';

const OTLP_URL = { protocols: ['http', 'https'], example: 'http://127.0.0.1:4318' } as const;

/**
 * How a service logs and traces, from the standard OpenTelemetry variables and `LOG_FORMAT`.
 * Traces are exported over OTLP/HTTP when `OTEL_TRACES_EXPORTER=otlp`, or when it is unset and
 * an OTLP endpoint is; otherwise (the default) tracing is off. The exporter itself reads the
 * endpoint, headers and timeout variables; they are checked here so a typo stops the service
 * with a message naming the variable instead of losing every span.
 */
const TELEMETRY = {
  LOG_FORMAT: oneOf(LOG_FORMATS, 'json'),
  OTEL_SDK_DISABLED: trueFalse(false),
  OTEL_TRACES_EXPORTER: parsed((value) => {
    if (value === undefined) return undefined;
    const chosen = value.trim().toLowerCase();
    if (chosen !== 'otlp' && chosen !== 'none') throw new Error(`must be "otlp" or "none", not "${value}" (only OTLP/HTTP export is built in)`);
    return chosen;
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(OTLP_URL),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(OTLP_URL),
  OTEL_SERVICE_NAME: text(),
};

export interface TelemetrySettings {
  logFormat: (typeof LOG_FORMATS)[number];
  /** Whether spans are exported over OTLP/HTTP; false: tracing is off. */
  exportTraces: boolean;
  serviceName: string;
}

export function readTelemetrySettings(service: string, env: NodeJS.ProcessEnv = process.env): TelemetrySettings {
  const config = readConfig(TELEMETRY, env);
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporter = config.OTEL_TRACES_EXPORTER ?? (endpoint ? 'otlp' : 'none');
  return { logFormat: config.LOG_FORMAT, exportTraces: !config.OTEL_SDK_DISABLED && exporter === 'otlp', serviceName: config.OTEL_SERVICE_NAME ?? service };
}

/** Applies the settings to this process: the console's log format, and tracing when exported (stop it to export the last spans). */
export function startTelemetry(settings: TelemetrySettings): Tracing | undefined {
  useLogFormat(settings.logFormat);
  return settings.exportTraces ? startTracing({ serviceName: settings.serviceName, exporter: 'otlp' }) : undefined;
}
