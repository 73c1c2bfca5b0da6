import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/daicho');
    expect(config).toMatchObject({
      port: 4600,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: path.resolve('/srv/daicho/.daicho'),
      logLevel: 'info',
      bodyLimitBytes: 1024 * 1024,
      seedDemo: true,
      databaseAppRole: 'daicho_app',
    });
  });

  it('reads each variable', () => {
    const config = loadConfig(
      {
        DAICHO_PORT: '8080',
        DAICHO_HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://u:p@db:5432/crm',
        DAICHO_DATA_DIR: 'state',
        DAICHO_LOG_LEVEL: 'warn',
        DAICHO_BODY_LIMIT: '512kb',
        DAICHO_SEED_DEMO: 'false',
        DAICHO_DATABASE_APP_ROLE: 'crm_runtime',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db:5432/crm',
      dataDir: '/srv/state',
      logLevel: 'warn',
      bodyLimitBytes: 512 * 1024,
      seedDemo: false,
      databaseAppRole: 'crm_runtime',
    });
  });

  it('reports every bad value at once, one line each, naming the variable', () => {
    const attempt = () =>
      loadConfig({ DAICHO_PORT: 'eighty', DAICHO_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x/y', DAICHO_BODY_LIMIT: '3 parsecs' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const lines = (error as ConfigError).message.split('\n');
      expect(lines).toEqual([
        'DAICHO_PORT must be an integer between 0 and 65535 (got "eighty")',
        'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://x/y")',
        'DAICHO_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "loud")',
        'DAICHO_BODY_LIMIT must be a size such as 1048576, 512kb or 1mb (got "3 parsecs")',
      ]);
    }
  });

  it.each([
    ['DAICHO_PORT', '65536'],
    ['DAICHO_PORT', '-1'],
    ['DAICHO_PORT', '1e3'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'postgres://host:5432'],
    ['DAICHO_SEED_DEMO', 'maybe'],
    ['DAICHO_DB_POOL_MAX', '0'],
    ['DAICHO_HOST', 'bad host!'],
    ['DAICHO_DATABASE_APP_ROLE', 'app; drop table x'],
    ['DAICHO_DATABASE_APP_ROLE', 'App'],
  ])('refuses %s=%s', (env, value) => {
    expect(() => loadConfig({ [env]: value })).toThrow(new RegExp(`^${env} must be`));
  });
});

describe('loadConfig: trust settings', () => {
  it('reads trusted proxies, the secret key and the sign-in limits', () => {
    const key = 'ab'.repeat(32);
    const config = loadConfig({
      DAICHO_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8 ::ffff:192.168.0.1',
      DAICHO_SECRET_KEY: key,
      DAICHO_PASSWORD_MIN_LENGTH: '16',
      DAICHO_LOGIN_MAX_FAILURES: '3',
      DAICHO_COOKIE_SECURE: 'always',
    });
    expect(config.trustedProxies.map((range) => range.text)).toEqual(['10.0.0.0/8', 'fd00::/8', '::ffff:192.168.0.1']);
    expect(config.secretKey?.reveal().toString('hex')).toBe(key);
    expect(config).toMatchObject({ passwordMinLength: 16, passwordMaxLength: 128, loginMaxFailures: 3, cookieSecure: 'always' });
  });

  it('never shows the secret key when the config is printed or serialised', () => {
    const key = 'cd'.repeat(32);
    const config = loadConfig({ DAICHO_SECRET_KEY: key });
    expect(JSON.stringify(config)).not.toContain(key);
    expect(JSON.stringify(config)).not.toContain(Buffer.from(key, 'hex').toString('base64'));
    expect(`${config.secretKey}`).toBe('[secret]');
    expect(inspect(config, { depth: 5 })).not.toContain('cdcd');
  });

  it('accepts a base64 key and defaults to none', () => {
    const bytes = Buffer.alloc(32, 7);
    expect(loadConfig({ DAICHO_SECRET_KEY: bytes.toString('base64') }).secretKey?.reveal()).toEqual(bytes);
    expect(loadConfig({}).secretKey).toBeUndefined();
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });

  it.each([
    ['DAICHO_TRUSTED_PROXIES', '10.0.0.0/8, proxy.local'],
    ['DAICHO_SECRET_KEY', 'too-short'],
    ['DAICHO_SECRET_KEY', 'ab'.repeat(31)],
    ['DAICHO_PASSWORD_MIN_LENGTH', '4'],
    ['DAICHO_COOKIE_SECURE', 'never'],
    ['DAICHO_LOGIN_MAX_FAILURES', '0'],
    ['DAICHO_ROLE', 'scheduler'],
    ['DAICHO_METRICS_TOKEN', 'short'],
    ['DAICHO_METRICS_TOKEN', 'has a space in it, sadly'],
  ])('refuses %s=%s', (env, value) => {
    expect(() => loadConfig({ [env]: value })).toThrow(new RegExp(`^${env} must be`));
  });

  it('reads the role (all by default) and keeps the metrics token out of logs', () => {
    expect(loadConfig({}).role).toBe('all');
    expect(loadConfig({ DAICHO_ROLE: 'worker' }).role).toBe('worker');
    const config = loadConfig({ DAICHO_METRICS_TOKEN: 'scrape-token-0123456789' });
    expect(config.metricsToken?.reveal().toString()).toBe('scrape-token-0123456789');
    expect(JSON.stringify(config)).not.toContain('scrape-token');
    expect(loadConfig({}).metricsToken).toBeUndefined();
  });

  it('refuses a maximum password length below the minimum', () => {
    expect(() => loadConfig({ DAICHO_PASSWORD_MIN_LENGTH: '100', DAICHO_PASSWORD_MAX_LENGTH: '64' })).toThrow(/^DAICHO_PASSWORD_MAX_LENGTH must be at least/);
  });
});
