import { configVariables, type Config } from './config-spec.ts';

/** One environment variable whose value cannot be used. */
export interface ConfigProblem {
  env: string;
  expected: string;
  received: string;
}

/** Thrown by {@link loadConfig}; its message has one line per bad variable. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(describeConfigProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function describeConfigProblem(problem: ConfigProblem): string {
  return `${problem.env} must be ${problem.expected} (got ${JSON.stringify(problem.received)})`;
}

/**
 * Reads the whole configuration from the environment, reporting every bad value at once.
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const problems: ConfigProblem[] = [];
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const variable of configVariables) {
    const raw = env[variable.env];
    const parsed = variable.parse(raw, env, cwd);
    if (parsed.ok) config[variable.key] = parsed.value;
    else problems.push({ env: variable.env, expected: parsed.expected, received: raw ?? '' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}
