import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { consoleLogger, RecordingLogger, silentLogger, useLogFormat } from './logger';
import { inSpan, startTracing, type Tracing } from './tracing';

describe('consoleLogger', () => {
  afterEach(() => {
    useLogFormat('json');
    jest.restoreAllMocks();
  });

  it.each(['log', 'warn', 'error'] as const)('in pretty format, prefixes %s lines with the part that wrote them', (level) => {
    useLogFormat('pretty');
    const written = jest.spyOn(console, level).mockImplementation(() => undefined);
    consoleLogger('relay')[level]('3 changes published');
    expect(written).toHaveBeenCalledWith('[relay] 3 changes published');
  });

  it.each([
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
  ] as const)('in json format (the default), writes %s lines as one object with time, level %s, service and message', (level, severity) => {
    const written = jest.spyOn(console, level).mockImplementation(() => undefined);
    consoleLogger('relay')[level]('3 changes published');
    const line = JSON.parse(written.mock.calls[0][0] as string) as Record<string, unknown>;
    expect(line).toEqual({ time: expect.any(String), level: severity, service: 'relay', message: '3 changes published' });
    expect(Number.isNaN(Date.parse(line['time'] as string))).toBe(false);
  });

  it('keeps a message with quotes and new lines one valid JSON line', () => {
    const written = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    consoleLogger('intake-api').error('could not start: "x"\n    at start (main.ts:1)');
    const text = written.mock.calls[0][0] as string;
    expect(text).not.toContain('\n');
    expect((JSON.parse(text) as { message: string }).message).toBe('could not start: "x"\n    at start (main.ts:1)');
  });

  it.each(['json', 'pretty'] as const)('never writes an email address (%s)', (chosen) => {
    useLogFormat(chosen);
    const written = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    consoleLogger('notifier').warn('550 5.1.1 <maria.lopez@example.org>: Recipient address rejected');
    const text = written.mock.calls[0][0] as string;
    expect(text).not.toContain('maria.lopez@example.org');
    expect(text).not.toContain('@');
    expect(text).toContain('<[address]>: Recipient address rejected');
  });
});

describe('consoleLogger with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => (tracing = startTracing({ serviceName: 'logging-spec', exporter })));
  afterAll(() => tracing.stop());
  afterEach(() => jest.restoreAllMocks());

  it("adds the active span's trace id and span id, and none outside a span", async () => {
    const written = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const logger = consoleLogger('intake-api');
    const ids = await inSpan('POST /v1/cases/:receiptNumber/events', {}, async (span) => {
      await Promise.resolve();
      logger.log('recorded');
      return span.spanContext();
    });
    logger.log('idle');
    const [inside, outside] = written.mock.calls.map((call) => JSON.parse(call[0] as string) as Record<string, unknown>);
    expect(inside).toMatchObject({ message: 'recorded', trace_id: ids.traceId, span_id: ids.spanId });
    expect(inside['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
  });
});

describe('silentLogger', () => {
  it('writes nothing', () => {
    const written = (['log', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(() => undefined));
    silentLogger.log('a');
    silentLogger.warn('b');
    silentLogger.error('c');
    written.forEach((spy) => expect(spy).not.toHaveBeenCalled());
    jest.restoreAllMocks();
  });
});

describe('RecordingLogger', () => {
  it('keeps every line with its level, in order', () => {
    const logger = new RecordingLogger();
    logger.log('started');
    logger.warn('slow');
    logger.error('failed');
    expect(logger.lines).toEqual(['log started', 'warn slow', 'error failed']);
  });
});
