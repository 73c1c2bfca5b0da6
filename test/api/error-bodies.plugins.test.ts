import type { PluginManifest } from '@daicho/sdk';
import { createPluginSignature, generateSigningKeyPair } from '@daicho/sdk/plugin-tools';
import { startTestDaicho, type ApiResponse, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorBody, type ErrorCase } from '../support/error-bodies.ts';
import { buildPluginPackage } from '../support/plugin-packages.ts';

// Every refusal of the plugin endpoints, with its full error body snapshotted. The platform here
// trusts one signing key, so packages must be signed (test plan rows 23 and 24 among them).

const trusted = generateSigningKeyPair();
const stranger = generateSigningKeyPair();

const manifest = (extra: Partial<PluginManifest> = {}): PluginManifest => ({
  id: 'acme.checks', version: '1.0.0', publisher: 'acme', displayName: { en: 'Checks', ja: 'チェック' }, description: { en: 'Is checked.' },
  engines: { daicho: '>=0.1.0' }, permissions: ['kv', 'mail.send'], main: 'dist/plugin.js', ...extra,
});
const source = 'export default { actions: {} };';

describe('error bodies of the plugin API', () => {
  let daicho: TestDaicho;
  let userToken = '';
  let good: Uint8Array;

  const signed = (bytes: Uint8Array, key = trusted.privateKeyPem) => Buffer.from(JSON.stringify(createPluginSignature(bytes, key))).toString('base64');
  const upload = async (path: string, bytes: Uint8Array, options: { signature?: string | null; token?: string; contentType?: string } = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? daicho.adminToken}`, 'content-type': options.contentType ?? 'application/gzip' };
    const signature = options.signature === undefined ? signed(bytes) : options.signature;
    if (signature !== null) headers['x-daicho-signature'] = signature;
    const response = await fetch(`${daicho.baseUrl}${path}`, { method: 'POST', headers, body: Buffer.from(bytes) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_PLUGIN_TRUSTED_KEYS: trusted.publicKey, DAICHO_PLUGIN_RUNNERS: '1' } });
    userToken = (await daicho.createUserSession({ isAdmin: false })).token;
    good = await buildPluginPackage(manifest(), source);
    expect((await upload('/api/v1/plugins?grant=all', await buildPluginPackage(manifest({ id: 'acme.installed', permissions: ['kv'] }), source))).status).toBe(201);
  });
  afterAll(async () => {
    await daicho?.close();
  });

  const groups: Record<string, ErrorCase[]> = {
    'POST /api/v1/plugins': [
      { name: 'not allowed to install plugins', status: 403, send: () => upload('/api/v1/plugins?grant=all', good, { token: userToken }) },
      { name: 'not a gzip content type', status: 415, send: () => upload('/api/v1/plugins?grant=all', good, { contentType: 'application/json' }) },
      { name: 'unsigned', status: 422, send: () => upload('/api/v1/plugins?grant=all', good, { signature: null }) },
      { name: 'signed by an untrusted key', status: 422, send: () => upload('/api/v1/plugins?grant=all', good, { signature: signed(good, stranger.privateKeyPem) }) },
      { name: 'signature of other bytes', status: 422, send: async () => upload('/api/v1/plugins?grant=all', good, { signature: signed(await buildPluginPackage(manifest({ version: '9.9.9' }), source)) }) },
      { name: 'not a package', status: 422, send: () => upload('/api/v1/plugins?grant=all', Buffer.from('not a tarball')) },
      { name: 'manifest with an unknown permission and bad semver', status: 422, send: async () => upload('/api/v1/plugins?grant=all', await buildPluginPackage({ ...manifest(), version: 'one', permissions: ['root'] } as PluginManifest, source)) },
      { name: 'engine range excludes this version', status: 422, send: async () => upload('/api/v1/plugins?grant=all', await buildPluginPackage(manifest({ engines: { daicho: '>=99.0.0' } }), source)) },
      { name: 'dependency missing', status: 409, send: async () => upload('/api/v1/plugins?grant=all', await buildPluginPackage(manifest({ dependencies: { 'acme.base': '^1.0.0' } }), source)) },
      { name: 'dependency outside its range', status: 409, send: async () => upload('/api/v1/plugins?grant=all', await buildPluginPackage(manifest({ dependencies: { 'acme.installed': '^2.0.0' } }), source)) },
      { name: 'consent missing', status: 409, send: () => upload('/api/v1/plugins?grant=kv', good) },
      { name: 'installed already', status: 409, send: async () => upload('/api/v1/plugins?grant=all', await buildPluginPackage(manifest({ id: 'acme.installed', permissions: ['kv'] }), source)) },
    ],
    'plugin routes': [
      { name: 'unknown plugin', status: 404, send: () => daicho.api.get('/api/v1/plugins/acme.nothing') },
      { name: 'upgrade not newer', status: 422, send: async () => upload('/api/v1/plugins/acme.installed/upgrade', await buildPluginPackage(manifest({ id: 'acme.installed', permissions: ['kv'] }), source)) },
      { name: 'purge without confirmation', status: 422, send: () => daicho.api.post('/api/v1/plugins/acme.installed/purge', { confirm: 'acme.other' }) },
      { name: 'purge of an installed plugin', status: 409, send: () => daicho.api.post('/api/v1/plugins/acme.installed/purge', { confirm: 'acme.installed' }) },
      { name: 'settings for a plugin without settings', status: 422, send: () => daicho.api.put('/api/v1/plugins/acme.installed/settings', { anything: 1 }) },
    ],
  };

  for (const [endpoint, cases] of Object.entries(groups)) {
    describe(endpoint, () => {
      it.each(cases)('$name → $status', async ({ send, status }) => {
        expect(errorBody(await send(), status)).toMatchSnapshot();
      });
    });
  }
});
