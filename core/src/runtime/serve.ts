import http from 'node:http';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import { bootDaicho, type BootedDaicho } from './boot.ts';

/** A running server. */
export interface RunningDaicho extends BootedDaicho {
  /** Base URL the server answers on, e.g. http://127.0.0.1:4600. */
  url: string;
  server: http.Server;
  /** Graceful stop: refuse new connections, drain in-flight requests, then close everything. */
  stop(): Promise<void>;
}

/** Thrown when the HTTP port cannot be bound; its message is one line. */
export class ListenError extends Error {}

/** Boots the platform and listens on the configured host and port. */
export async function serveDaicho(config: Config, logger: Logger): Promise<RunningDaicho> {
  const booted = await bootDaicho(config, logger);
  const server = http.createServer(booted.app.callback());
  // Bounded header and request times keep slow clients from holding sockets.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await booted.shutdown();
    const code = (error as NodeJS.ErrnoException).code;
    throw new ListenError(
      code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use; set DAICHO_PORT to another port`
        : `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down: draining in-flight requests');
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout reached; closing remaining connections');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await drained;
      clearTimeout(timer);
      await booted.shutdown();
      logger.info('stopped');
    })();
    return stopping;
  };
  return { ...booted, url, server, stop };
}
