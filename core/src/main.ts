// Process entry: config → database → HTTP app, and a graceful stop on SIGINT / SIGTERM.
import { ConfigError, loadConfig } from './config/index.ts';
import { DatabaseSetupError, DatabaseUnreachableError } from './db/index.ts';
import { createLogger } from './log/index.ts';
import { ListenError, serveDaicho, type RunningDaicho } from './runtime/index.ts';

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

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail(error);
  }
  const logger = createLogger({ level: config.logLevel });
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
