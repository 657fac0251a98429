import { z } from 'zod';

/** One field per environment variable, named as the variable. */
export type ConfigSchema = Record<string, z.ZodType<unknown, string | undefined>>;

/** The values read, one per variable of the schema, typed by its field. */
export type ConfigOf<S extends ConfigSchema> = { [K in keyof S]: z.output<S[K]> };

/** One wrong setting: its variable, and a sentence naming it and saying what is wrong. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Settings that are wrong, each named by its variable; the message lists every one. */
export class ConfigError extends TypeError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((problem) => problem.message);
    super(lines.length === 1 ? lines[0] : `${lines.length} settings are wrong:\n${lines.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** The (first) variable that is wrong. */
  get variable(): string {
    return this.problems[0]?.variable ?? '';
  }
}

/**
 * Reads the variables of `schema` from `env`: every value is checked, and when any is wrong
 * this throws one ConfigError naming each wrong variable and what is wrong with it. Variables
 * the schema does not name are ignored. An empty variable reads as an unset one.
 */
export function readConfig<S extends ConfigSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const input = Object.fromEntries(Object.keys(schema).map((name) => [name, env[name] === '' ? undefined : env[name]]));
  const result = z.object(schema).safeParse(input);
  if (result.success) return result.data as ConfigOf<S>;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      return { variable, message: describe(variable, issue.message) };
    }),
  );
}

/** Field messages say what the value must be ("must be ..."); a message that names its variable already is kept as it is. */
function describe(name: string, message: string): string {
  return message.startsWith(name) ? message : `${name} ${message}`;
}
