import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from '../log/index.ts';

/**
 * One LISTEN connection per node, shared by every cache that must hear other nodes' changes
 * (definitions, revoked sessions, allow-lists). A notification missed while the connection was
 * down cannot be replayed, so each subscriber says what to do after a reconnect (re-check or
 * forget everything).
 */
export interface NotificationListener {
  /** Calls `handler` with each payload sent on `channel`; `afterReconnect` runs when the connection came back. */
  subscribe(channel: string, handler: (payload: string) => void, afterReconnect?: () => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createNotificationListener(options: { connection: string | pg.ClientConfig; logger: Logger; reconnectDelayMs?: number }): NotificationListener {
  const handlers = new Map<string, Array<(payload: string) => void>>();
  const reconnectHooks: Array<() => void> = [];
  let client: pg.Client | undefined;
  let stopped = false;
  let started = false;

  const connect = async (isReconnect: boolean): Promise<void> => {
    const config = typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection;
    const next = new pg.Client({ application_name: 'daicho-listener', ...config });
    next.on('notification', (message) => {
      for (const handler of handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          options.logger.warn({ err: error, channel: message.channel }, 'a notification handler failed');
        }
      }
    });
    next.on('error', (error) => {
      if (client !== next) return;
      options.logger.warn({ err: error }, 'notification listener lost its connection; reconnecting');
      client = undefined;
      void next.end().catch(() => undefined);
      scheduleReconnect();
    });
    await next.connect();
    // Channel names are checked at subscribe: LISTEN takes no bind parameters.
    for (const channel of handlers.keys()) await next.query(`listen ${channel}`);
    client = next;
    if (isReconnect) for (const hook of reconnectHooks) hook();
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    setTimeout(() => {
      connect(true).catch((error: unknown) => {
        options.logger.warn({ err: error }, 'notification listener could not reconnect; trying again');
        scheduleReconnect();
      });
    }, options.reconnectDelayMs ?? 1000).unref();
  };

  return {
    subscribe(channel, handler, afterReconnect) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
      if (started) throw new Error('subscribe before start');
      handlers.set(channel, [...(handlers.get(channel) ?? []), handler]);
      if (afterReconnect) reconnectHooks.push(afterReconnect);
    },
    async start() {
      started = true;
      await connect(false);
    },
    async stop() {
      stopped = true;
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/** Sends a notification to every node's listener; inside a transaction it is delivered at commit. */
export async function sendNotification(db: Kysely<any>, channel: string, payload: string): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}
