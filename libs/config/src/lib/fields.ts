import { z } from 'zod';

/** A field of a config schema: reads one variable's text (undefined when unset or empty). */
export type Field<T> = z.ZodType<T, string | undefined>;

/**
 * A field read by `parse`, which throws an Error saying what is wrong ("must be ...", or a
 * whole sentence that starts with the variable's name). Every other field is one of these.
 */
export function parsed<T>(parse: (text: string | undefined) => T): Field<T> {
  return z
    .string()
    .optional()
    .transform((text, context) => {
      try {
        return parse(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    });
}

/** Any text; `fallback` when unset. */
export function text(fallback: string): Field<string>;
export function text(): Field<string | undefined>;
export function text(fallback?: string): Field<string | undefined> {
  return parsed((value) => value ?? fallback);
}

/** Text that must be set; `hint` says what to set it to. */
export function required(hint?: string): Field<string> {
  return parsed((value) => {
    if (value === undefined) throw new Error(`is not set${hint ? `: ${hint}` : ''}`);
    return value;
  });
}

interface WholeNumber<F extends number | undefined> {
  /** Used when unset; leave out for `undefined`. */
  fallback?: F;
  min?: number;
  max?: number;
}

/** A whole number from `min` (default 1) to `max` (default unbounded). */
export function integer<F extends number | undefined = undefined>(options: WholeNumber<F> = {}): Field<number | F> {
  const { min = 1, max } = options;
  const what = max === undefined ? (min === 1 ? 'a positive whole number' : `a whole number of ${min} or more`) : `a whole number from ${min} to ${max}`;
  return wholeNumber(what, { min, ...options });
}

/** A port to listen on or connect to, 0 to 65535 (0: any free port). */
export function port(fallback: number): Field<number> {
  return wholeNumber('a port number from 0 to 65535', { fallback, min: 0, max: 65535 });
}

/** A duration in whole milliseconds, from `min` (default 0) to `max`; `hint` says what a special value means. */
export function duration<F extends number | undefined = undefined>(options: WholeNumber<F> & { hint?: string } = {}): Field<number | F> {
  const { min = 0, max, hint } = options;
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  return wholeNumber(`a whole number of milliseconds, ${range}${hint ? ` (${hint})` : ''}`, { ...options, min });
}

function wholeNumber<F extends number | undefined>(what: string, { fallback, min = 1, max = Number.MAX_SAFE_INTEGER }: WholeNumber<F>): Field<number | F> {
  return parsed((value) => {
    if (value === undefined) return fallback as F;
    const number = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) throw new Error(`must be ${what}, not "${value}"`);
    return number;
  });
}

/** A decimal number from `min` to `max`. */
export function decimal(options: { fallback: number; min: number; max: number }): Field<number> {
  return parsed((value) => {
    if (value === undefined) return options.fallback;
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < options.min || number > options.max) {
      throw new Error(`must be a number from ${options.min} to ${options.max}, not "${value}"`);
    }
    return number;
  });
}

interface UrlOptions<F extends string | undefined> {
  /** Schemes allowed, without "://", e.g. ['http', 'https']. */
  protocols: readonly string[];
  fallback?: F;
  /** Shown in the message, e.g. redis://127.0.0.1:6379. */
  example?: string;
}

/**
 * An absolute URL with one of `protocols`. A wrong value is repeated in the message with any
 * user and password left out.
 */
export function url<F extends string | undefined = undefined>(options: UrlOptions<F>): Field<string | F> {
  const expected = `a URL starting with ${either(options.protocols.map((protocol) => `${protocol}://`))}${options.example ? `, e.g. ${options.example}` : ''}`;
  return parsed((value) => {
    if (value === undefined) return options.fallback as F;
    if (!URL.canParse(value) || !options.protocols.includes(new URL(value).protocol.slice(0, -1))) {
      throw new Error(`must be ${expected}, not "${withoutCredentials(value)}"`);
    }
    return value;
  });
}

function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1…@');
}

/** A switch spelled `on` / `off`. */
export function onOff(fallback: boolean): Field<boolean> {
  return words('on', 'off', fallback);
}

/** A switch spelled `true` / `false` (any case). */
export function trueFalse(fallback: boolean): Field<boolean> {
  return words('true', 'false', fallback);
}

function words(on: string, off: string, fallback: boolean): Field<boolean> {
  return parsed((value) => {
    if (value === undefined) return fallback;
    const word = value.trim().toLowerCase();
    if (word !== on && word !== off) throw new Error(`must be "${on}" or "${off}", not "${value}"`);
    return word === on;
  });
}

/** A comma-separated list; entries are trimmed and empty ones dropped. */
export function csv(): Field<string[]> {
  return parsed((value) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  );
}

/** A secret of at least `minLength` characters, or undefined when unset; never repeated in a message. */
export function secret(options: { minLength: number; hint?: string }): Field<string | undefined> {
  return parsed((value) => {
    if (value === undefined) return undefined;
    if (value.length < options.minLength) {
      throw new Error(`must be at least ${options.minLength} characters long (it has ${value.length})${options.hint ? `; ${options.hint}` : ''}`);
    }
    return value;
  });
}

/** One of `values`; `fallback` when unset. */
export function oneOf<const V extends string>(values: readonly V[], fallback: NoInfer<V>): Field<V> {
  const expected = either(values.map((value) => `"${value}"`));
  return parsed((value) => {
    if (value === undefined) return fallback;
    const known = values.find((candidate) => candidate === value);
    if (known === undefined) throw new Error(`must be ${expected}, not "${value}"`);
    return known;
  });
}

/** "a", "a or b", "a, b or c". */
function either(choices: readonly string[]): string {
  return choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : (choices[0] ?? '');
}
