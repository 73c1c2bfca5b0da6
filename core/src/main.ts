// Process entry: config → database → HTTP app, and a graceful stop on SIGINT / SIGTERM.
import { ConfigError, loadConfig, type Config } from './config/index.ts';
import { DatabaseSetupError, DatabaseUnreachableError } from './db/index.ts';
import { createLogger, type Logger } from './log/index.ts';
import { ListenError, runBackupCommand, runRestoreCommand, serveDaicho, type RunningDaicho } from './runtime/index.ts';

/** Problems a person can fix, reported as one line each instead of a stack trace. */
const expectedFailures = [ConfigError, DatabaseUnreachableError, DatabaseSetupError, ListenError];

function fail(error: unknown): never {
  if (expectedFailures.some((type) => error instanceof type)) {
    for (const line of (error as Error).message.split('\n')) process.stderr.write(`daicho: ${line}\n`);
  } else {
    process.stderr.write(`daicho: could not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    if (process.env.DAICHO_LOG_LEVEL === 'debug' || process.env.DAICHO_LOG_LEVEL === 'trace') console.error(error);
  }
  process.exit(1);
}

function printWelcome(running: RunningDaicho): void {
  const lines = [``, `  Daichō is running at ${running.url}`];
  if (running.config.role !== 'all') lines.push(`  Role: ${running.config.role} (${running.config.role === 'api' ? 'HTTP API only, no background work' : 'background work; HTTP serves only /healthz, /readyz and /metrics'})`);
  if (running.embedded) lines.push(`  Data: ${running.config.dataDir} (embedded PostgreSQL)`);
  if (running.firstStart) {
    lines.push(
      ``,
      `  First start: created the workspace "${running.firstStart.workspaceSlug}" and its admin.`,
      `    e-mail:   ${running.firstStart.adminEmail}`,
      `    password: ${running.firstStart.adminPassword}`,
      `  The password is shown only this once; keep it.`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

const usage = `usage: daicho                 start Daichō (settings from the environment; see docs/reference/configuration.md)
       daicho backup <file>   write a backup of the database (and a generated secret key) to <file>
       daicho restore <file>  restore <file> into an empty database (DATABASE_URL) or a new data folder`;

/** `daicho backup` / `daicho restore`: one-shot commands against the configured database. */
async function runCommand(command: string, file: string | undefined, config: Config, logger: Logger): Promise<void> {
  if (!file) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  try {
    if (command === 'backup') {
      const started = Date.now();
      const summary = await runBackupCommand(config, logger, file);
      process.stdout.write(`Backed up ${summary.workspaces} workspace(s): ${summary.rows} rows in ${summary.tables} tables to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
      process.stdout.write(`The file holds every record and, unless DAICHO_SECRET_KEY is set, the install's secret key: keep it as safe as the database.\n`);
    } else {
      const result = await runRestoreCommand(config, logger, file);
      process.stdout.write(`Restored ${result.workspaces} workspace(s), ${result.rows} rows, from ${file}.\n`);
      if (result.secretKey === 'restored') process.stdout.write(`The backup's secret key was written to ${config.dataDir}.\n`);
      if (result.secretKey === 'kept') process.stdout.write(`The data folder already had a secret key; it was kept. If it differs from the backed-up install's, TOTP set-ups and webhook secrets must be set again.\n`);
      if (result.secretKey === 'external') process.stdout.write(`DAICHO_SECRET_KEY is set: use the backed-up install's key, or TOTP set-ups and webhook secrets must be set again.\n`);
    }
  } catch (error) {
    process.stderr.write(`daicho ${command}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    if (process.env.DAICHO_LOG_LEVEL === 'debug') console.error(error);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error);
  }
  const logger = createLogger({ level: config.logLevel });
  const [command, argument] = process.argv.slice(2);
  if (command === 'backup' || command === 'restore') return runCommand(command, argument, config, logger);
  if (command !== undefined) {
    process.stderr.write(`${command === '--help' || command === 'help' ? '' : `daicho: unknown command "${command}"\n`}${usage}\n`);
    process.exit(command === '--help' || command === 'help' ? 0 : 2);
  }
  let running: RunningDaicho;
  try {
    running = await serveDaicho(config, logger);
  } catch (error) {
    fail(error);
  }
  printWelcome(running);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write(`daicho: second ${signal}; exiting now\n`);
      process.exit(130);
    }
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

await main();
