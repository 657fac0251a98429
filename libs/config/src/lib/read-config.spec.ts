import { ConfigError, readConfig } from './read-config';
import { csv, decimal, duration, integer, onOff, oneOf, parsed, port, required, secret, text, trueFalse, url } from './fields';

describe('readConfig', () => {
  const schema = {
    PORT: port(3000),
    BATCH: integer({ fallback: 500 }),
    HOST: text('127.0.0.1'),
    STORE: oneOf(['postgres', 'eventstoredb'], 'postgres'),
    CONSOLE: onOff(true),
  };

  it('gives each variable its typed value, or its fallback when unset or empty', () => {
    const config = readConfig(schema, { PORT: '8080', BATCH: '', STORE: 'eventstoredb', OTHER: 'ignored' });
    expect(config).toEqual({ PORT: 8080, BATCH: 500, HOST: '127.0.0.1', STORE: 'eventstoredb', CONSOLE: true });
    const port: number = config.PORT;
    const store: 'postgres' | 'eventstoredb' = config.STORE;
    expect([port, store]).toEqual([8080, 'eventstoredb']);
  });

  it('names one wrong variable and what is wrong with it', () => {
    expect(() => readConfig(schema, { PORT: '70000' })).toThrow(ConfigError);
    expect(() => readConfig(schema, { PORT: '70000' })).toThrow(/^PORT must be a port number from 0 to 65535, not "70000"$/);
  });

  it('names every wrong variable at once, not only the first', () => {
    let error: unknown;
    try {
      readConfig(schema, { PORT: 'x', BATCH: '0', STORE: 'mongo', CONSOLE: 'yes' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { variable: 'PORT', message: 'PORT must be a port number from 0 to 65535, not "x"' },
      { variable: 'BATCH', message: 'BATCH must be a positive whole number, not "0"' },
      { variable: 'STORE', message: 'STORE must be "postgres" or "eventstoredb", not "mongo"' },
      { variable: 'CONSOLE', message: 'CONSOLE must be "on" or "off", not "yes"' },
    ]);
    expect((error as ConfigError).variable).toBe('PORT');
    expect((error as ConfigError).message).toBe(
      '4 settings are wrong:\n  - PORT must be a port number from 0 to 65535, not "x"\n  - BATCH must be a positive whole number, not "0"\n  - STORE must be "postgres" or "eventstoredb", not "mongo"\n  - CONSOLE must be "on" or "off", not "yes"',
    );
  });

  it('keeps a message that names its variable already, as the shared parsers write them', () => {
    const trust = parsed((value) => {
      if (value === 'true') throw new Error('TRUST=true would believe anyone');
      return value;
    });
    expect(() => readConfig({ TRUST: trust }, { TRUST: 'true' })).toThrow(/^TRUST=true would believe anyone$/);
  });
});

describe('fields', () => {
  const read = <T>(field: Parameters<typeof readConfig>[0][string], value: string | undefined): T => readConfig({ X: field }, { X: value }).X as T;
  const refusal = (field: Parameters<typeof readConfig>[0][string], value: string): string => {
    try {
      read(field, value);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`X=${value} was taken`);
  };

  it('port: 0 to 65535', () => {
    expect(read(port(1), '0')).toBe(0);
    expect(read(port(1), '65535')).toBe(65535);
    expect(read(port(1), undefined)).toBe(1);
    expect(refusal(port(1), '-1')).toBe('X must be a port number from 0 to 65535, not "-1"');
    expect(refusal(port(1), '80.5')).toBe('X must be a port number from 0 to 65535, not "80.5"');
    expect(refusal(port(1), '0x50')).toBe('X must be a port number from 0 to 65535, not "0x50"');
  });

  it('integer: whole numbers in range, undefined without a fallback', () => {
    expect(read(integer({ min: 1, max: 10 }), '10')).toBe(10);
    expect(read(integer(), undefined)).toBeUndefined();
    expect(refusal(integer({ min: 1, max: 10 }), '11')).toBe('X must be a whole number from 1 to 10, not "11"');
    expect(refusal(integer({ min: 5 }), '4')).toBe('X must be a whole number of 5 or more, not "4"');
    expect(refusal(integer(), '1e3')).toBe('X must be a positive whole number, not "1e3"');
    expect(refusal(integer(), '99999999999999999999')).toBe('X must be a positive whole number, not "99999999999999999999"');
  });

  it('duration: whole milliseconds, with what a special value means', () => {
    expect(read(duration({ hint: '0 for no limit' }), '0')).toBe(0);
    expect(read(duration({ fallback: 10_000, min: 100, max: 120_000 }), undefined)).toBe(10_000);
    expect(refusal(duration({ hint: '0 for no limit' }), '1.5')).toBe('X must be a whole number of milliseconds, 0 or more (0 for no limit), not "1.5"');
    expect(refusal(duration({ min: 100, max: 120_000 }), '50')).toBe('X must be a whole number of milliseconds, from 100 to 120000, not "50"');
  });

  it('decimal: a number in range', () => {
    expect(read(decimal({ fallback: 0.2, min: 0, max: 1 }), '0.5')).toBe(0.5);
    expect(refusal(decimal({ fallback: 0.2, min: 0, max: 1 }), '2')).toBe('X must be a number from 0 to 1, not "2"');
    expect(refusal(decimal({ fallback: 0.2, min: 0, max: 1 }), ' ')).toBe('X must be a number from 0 to 1, not " "');
  });

  it('url: absolute, with an allowed scheme, never repeating a password', () => {
    const redis = url({ protocols: ['redis', 'rediss'], example: 'redis://127.0.0.1:6379' });
    expect(read(redis, 'rediss://:pw@cache:6380')).toBe('rediss://:pw@cache:6380');
    expect(read(url({ protocols: ['http', 'https'], fallback: 'http://127.0.0.1' }), undefined)).toBe('http://127.0.0.1');
    expect(refusal(redis, 'http://127.0.0.1:6379')).toBe('X must be a URL starting with redis:// or rediss://, e.g. redis://127.0.0.1:6379, not "http://127.0.0.1:6379"');
    expect(refusal(redis, 'http://user:hunter2@cache')).not.toContain('hunter2');
    expect(refusal(url({ protocols: ['https'] }), 'status.example.gov')).toBe('X must be a URL starting with https://, not "status.example.gov"');
  });

  it('switches: on/off and true/false, nothing else', () => {
    expect(read(onOff(false), 'on')).toBe(true);
    expect(read(onOff(true), 'off')).toBe(false);
    expect(read(trueFalse(false), 'TRUE')).toBe(true);
    expect(read(trueFalse(true), undefined)).toBe(true);
    expect(refusal(trueFalse(false), '1')).toBe('X must be "true" or "false", not "1"');
  });

  it('csv: trimmed entries, empty ones dropped', () => {
    expect(read(csv(), ' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(read(csv(), undefined)).toEqual([]);
  });

  it('secret: a minimum length, the value never in the message', () => {
    expect(read(secret({ minLength: 8 }), 'long-enough')).toBe('long-enough');
    expect(read(secret({ minLength: 8 }), undefined)).toBeUndefined();
    const message = refusal(secret({ minLength: 8, hint: 'e.g. openssl rand -base64 32' }), 'short');
    expect(message).toBe('X must be at least 8 characters long (it has 5); e.g. openssl rand -base64 32');
  });

  it('required and text', () => {
    expect(refusal(required('a JSON file of keys'), '')).toBe('X is not set: a JSON file of keys');
    expect(read(text('dflt'), undefined)).toBe('dflt');
    expect(read(text(), undefined)).toBeUndefined();
  });
});
