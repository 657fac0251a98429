import { ConfigError } from './read-config';
import { readTelemetrySettings } from './telemetry-settings';

describe('readTelemetrySettings', () => {
  it('logs JSON and traces nothing by default, under the service name', () => {
    expect(readTelemetrySettings('kafka-relay', {})).toEqual({ logFormat: 'json', exportTraces: false, serviceName: 'kafka-relay' });
  });

  it('takes LOG_FORMAT=pretty (what npm start sets)', () => {
    expect(readTelemetrySettings('notifier', { LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo.example.gov/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, false],
  ])('exports traces for %j: %s', (env, exported) => {
    expect(readTelemetrySettings('intake-api', env).exportTraces).toBe(exported);
  });

  it('names spans after OTEL_SERVICE_NAME when set', () => {
    expect(readTelemetrySettings('intake-api', { OTEL_SERVICE_NAME: 'uscis-intake' }).serviceName).toBe('uscis-intake');
  });

  it.each([
    ['LOG_FORMAT', 'colour', 'LOG_FORMAT must be "json" or "pretty", not "colour"'],
    ['OTEL_TRACES_EXPORTER', 'jaeger', 'OTEL_TRACES_EXPORTER must be "otlp" or "none", not "jaeger"'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', '127.0.0.1:4318', 'OTEL_EXPORTER_OTLP_ENDPOINT must be a URL starting with http:// or https://'],
  ])('refuses %s=%s with a message naming the variable', (variable, value, message) => {
    expect(() => readTelemetrySettings('intake-api', { [variable]: value })).toThrow(ConfigError);
    expect(() => readTelemetrySettings('intake-api', { [variable]: value })).toThrow(message);
  });
});
