import { describe, expect, it } from 'vitest';
import type { PluginManifest } from '../contract.ts';
import { checkPluginManifest, validatePluginManifest } from './validate-manifest.ts';

function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'acme.hello',
    version: '1.0.0',
    publisher: 'acme',
    displayName: { en: 'Hello', ja: 'ハロー' },
    description: { en: 'Greets.' },
    engines: { daicho: '>=0.1.0' },
    permissions: ['records.read:acme.hello.greeting', 'http.fetch:https://hooks.example.com/*', 'kv'],
    contributes: {
      objects: ['definitions/greeting.object.json'],
      recordHooks: [{ object: 'acme.hello.greeting', events: ['beforeCreate'] }],
      settingsSchema: { type: 'object', properties: { greeting: { type: 'string' } } },
      translations: { ja: 'locales/ja.json' },
    },
    main: 'dist/plugin.js',
    ...overrides,
  };
}

function contributes(extra: Record<string, unknown>): Record<string, unknown> {
  return { contributes: { ...(manifest().contributes as object), ...extra } };
}

describe('validatePluginManifest', () => {
  it('accepts a complete manifest', () => {
    expect(validatePluginManifest(manifest())).toEqual({ ok: true, manifest: manifest() });
  });

  // Row 12 and row 23: each case is refused, with a problem at the given pointer.
  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['unknown permission', { permissions: ['records.delete:acme.hello.greeting'] }, '/permissions/0'],
    ['wildcard object permission', { permissions: ['records.read:*'] }, '/permissions/0'],
    ['http permission over http', { permissions: ['http.fetch:http://hooks.example.com/*'] }, '/permissions/0'],
    ['http permission with a bare * host', { permissions: ['http.fetch:https://*/x'] }, '/permissions/0'],
    ['http permission with user info', { permissions: ['http.fetch:https://a@hooks.example.com/'] }, '/permissions/0'],
    ['http permission with a port', { permissions: ['http.fetch:https://hooks.example.com:8443/'] }, '/permissions/0'],
    ['repeated permission', { permissions: ['kv', 'kv'] }, '/permissions/1'],
    ['extra top-level key', { homepage: 'https://x' }, '/homepage'],
    ['cachedData', { cachedData: 'AAAA' }, '/cachedData'],
    ['snapshot', { snapshot: 'x.blob' }, '/snapshot'],
    ['native modules', { nativeModules: ['x.node'] }, '/nativeModules'],
    ['extra key in text', { displayName: { en: 'Hi', fr: 'Salut' } }, '/displayName/fr'],
    ['1 MB description', { description: { en: 'x'.repeat(1024 * 1024) } }, '/description/en'],
    ['missing en', { displayName: { ja: 'ハロー' } }, '/displayName'],
    ['bad semver', { version: '1.0' }, '/version'],
    ['leading-zero semver', { version: '01.0.0' }, '/version'],
    ['upper-case id', { id: 'Acme.hello' }, '/id'],
    ['id without publisher', { id: 'hello' }, '/id'],
    ['id with a hyphen', { id: 'acme.hello-world' }, '/id'],
    ['absolute main', { main: '/dist/plugin.js' }, '/main'],
    ['main with ..', { main: '../plugin.js' }, '/main'],
    ['main with a backslash', { main: 'dist\\plugin.js' }, '/main'],
    ['main with a drive letter', { main: 'C:plugin.js' }, '/main'],
    ['object path with ..', contributes({ objects: ['definitions/../../x.json'] }), '/contributes/objects/0'],
    ['extra key in contributes', contributes({ nativeAddons: [] }), '/contributes/nativeAddons'],
    ['extra key in a hook', contributes({ recordHooks: [{ object: 'acme.hello.greeting', events: ['beforeCreate'], priority: 1 }] }), '/contributes/recordHooks/0/priority'],
    ['unknown hook event', contributes({ recordHooks: [{ object: 'acme.hello.greeting', events: ['beforeDelete'] }] }), '/contributes/recordHooks/0/events/0'],
    ['settings schema not an object schema', contributes({ settingsSchema: { type: 'string' } }), '/contributes/settingsSchema/type'],
    ['translations for another language', contributes({ translations: { fr: 'locales/fr.json' } }), '/contributes/translations/fr'],
    ['bad activation', { activation: 'always' }, '/activation'],
    ['engine not a range', { engines: { daicho: 'latest' } }, '/engines/daicho'],
    ['publisher not the id prefix', { publisher: 'other' }, '/publisher'],
    ['action type outside the id', contributes({ workflowActions: [{ type: 'other.send', labels: { en: 'Send' }, inputSchema: { type: 'object' } }] }), '/contributes/workflowActions/0/type'],
    ['schedules without the permission', contributes({ schedules: [{ name: 'nightly', cron: '0 3 * * *' }] }), '/contributes/schedules'],
    ['hook on an object neither contributed nor granted', contributes({ recordHooks: [{ object: 'deal', events: ['afterCreate'] }] }), '/contributes/recordHooks/0/object'],
    ['not an object', { permissions: 'kv' }, '/permissions'],
  ];

  it.each(refused)('refuses %s', (_name, overrides, path) => {
    const result = validatePluginManifest(manifest(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => problem.path)).toContain(path);
  });

  it('refuses a manifest that is not an object, and lists every missing property', () => {
    expect(validatePluginManifest('x')).toEqual({ ok: false, problems: [{ path: '', message: 'must be an object' }] });
    const result = validatePluginManifest({});
    expect(result.ok ? [] : result.problems.map((problem) => problem.message)).toHaveLength(7);
  });

  it('accepts hooks on granted objects, schedules with their permission, and valid http patterns', () => {
    const result = validatePluginManifest(manifest({
      permissions: ['records.write:deal', 'schedule', 'http.fetch:https://*.example.co.jp/api/v1/*/items', 'mail.send'],
      contributes: { recordHooks: [{ object: 'deal', events: ['afterCreate', 'afterUpdate'] }], schedules: [{ name: 'nightly', cron: '0 3 * * *' }] },
    }));
    expect(result).toMatchObject({ ok: true });
  });
});

describe('checkPluginManifest with the package definitions', () => {
  // Without a records permission, the hook is allowed only because the plugin contributes the object.
  const valid = manifest({ permissions: [] }) as unknown as PluginManifest;

  it('requires contributed objects to be named under the plugin id', () => {
    expect(checkPluginManifest(valid, new Map([['definitions/greeting.object.json', { name: 'acme.hello.greeting' }]]))).toEqual([]);
    expect(checkPluginManifest(valid, new Map([['definitions/greeting.object.json', { name: 'greeting' }]]))).toEqual([
      { path: '/contributes/objects/0', message: 'the object\'s name must start with acme.hello.' },
      expect.objectContaining({ path: '/contributes/recordHooks/0/object' }),
    ]);
    expect(checkPluginManifest(valid, new Map())).toEqual([
      { path: '/contributes/objects/0', message: 'definitions/greeting.object.json is not in the package' },
      expect.objectContaining({ path: '/contributes/recordHooks/0/object' }),
    ]);
  });
});
