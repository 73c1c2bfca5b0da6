import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PluginSignature } from '../plugins/contract.ts';
import { readPluginPackage, verifyPluginSignature } from '../plugins/tools.ts';
import { renderObjectTypes } from './generate-types.ts';
import { loadPluginProject } from './plugin-project.ts';
import { repoDir, run, tempProjectDir } from './cli-test-support.ts';

const created: string[] = [];
function project(): string {
  const dir = tempProjectDir();
  created.push(path.dirname(dir));
  return dir;
}
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

describe('daicho-plugin init, build, pack', () => {
  it('writes a template that builds, packs and reads back', async () => {
    const dir = project();
    rmSync(path.join(dir, 'node_modules'), { recursive: true });
    const root = path.dirname(dir);
    const init = await run(['init', 'project', '--id', 'acme.greeter'], root);
    expect(init).toMatchObject({ code: 0 });
    // init refuses a non-empty folder, so the sdk is linked after it ran
    mkdirSync(path.join(dir, 'node_modules/@daicho'), { recursive: true });
    symlinkSync(path.resolve(repoDir, 'sdk'), path.join(dir, 'node_modules/@daicho/sdk'), 'dir');

    for (const file of ['daicho-plugin.json', 'src/index.ts', 'definitions/greeting.object.json', 'test/greeting.test.ts', 'README.md', 'package.json', 'locales/ja.json']) {
      expect(existsSync(path.join(dir, file)), file).toBe(true);
    }
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toEqual({ '@daicho/sdk': '^0.1.0' });

    const build = await run(['build'], dir);
    expect(build.err).toBe('');
    expect(build.code).toBe(0);
    expect(readFileSync(path.join(dir, 'src/daicho-objects.d.ts'), 'utf8')).toContain('"acme.greeter.greeting": AcmeGreeterGreetingRecord;');
    const bundle = readFileSync(path.join(dir, 'dist/plugin.js'), 'utf8');
    expect(bundle).toMatch(/^"use strict";\nvar __daicho_plugin__ = \(\(\) => \{/u);
    // The bundle evaluates to the definition, as the sandbox will see it.
    const definition = new Function(`${bundle}; return __daicho_plugin__.default;`)() as { hooks: Record<string, Record<string, unknown>> };
    expect(typeof definition.hooks['acme.greeter.greeting']!.beforeCreate).toBe('function');

    const pack = await run(['pack'], dir);
    expect(pack.code).toBe(0);
    const digest = /sha256 ([0-9a-f]{64})/u.exec(pack.out)?.[1];
    const pkg = await readPluginPackage(readFileSync(path.join(dir, 'acme.greeter-0.1.0.tgz')));
    expect(pkg.digest).toBe(digest);
    expect([...pkg.files.keys()].sort()).toEqual(['README.md', 'daicho-plugin.json', 'definitions/greeting.object.json', 'dist/plugin.js', 'locales/en.json', 'locales/ja.json']);
  });

  it('refuses an id the manifest would refuse, and a non-empty folder', async () => {
    const dir = project();
    expect((await run(['init', 'x', '--id', 'Acme.Hello'], dir)).err).toContain('/id: must match the pattern');
    expect((await run(['init', '.', '--id', 'acme.hello'], dir)).err).toContain('is not empty');
    expect((await run(['init', 'y'], dir)).err).toContain('--id');
  });

  it('lists manifest problems at build', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'daicho-plugin.json'), JSON.stringify({ id: 'acme.bad', version: '1', publisher: 'acme', displayName: { en: 'x' }, description: { en: 'x' }, engines: { daicho: '*' }, permissions: ['root'], cachedData: 'x' }));
    const build = await run(['build'], dir);
    expect(build.code).toBe(1);
    expect(build.err).toContain('daicho-plugin: daicho-plugin.json is invalid');
    expect(build.err).toContain('/version: must match the pattern');
    expect(build.err).toContain('/permissions/0: must match the pattern');
    expect(build.err).toContain('/cachedData: is not an allowed property');
  });

  it('refuses Node built-ins in plugin code, naming the importer, and bundles over 5 MB', async () => {
    const dir = project();
    const manifest = { id: 'acme.nodey', version: '1.0.0', publisher: 'acme', displayName: { en: 'x' }, description: { en: 'x' }, engines: { daicho: '*' }, permissions: [], main: 'dist/plugin.js' };
    writeFileSync(path.join(dir, 'daicho-plugin.json'), JSON.stringify(manifest));
    mkdirSync(path.join(dir, 'src'));
    for (const source of ["import { readFileSync } from 'node:fs'; export default { x: readFileSync };", "import os from 'os'; export default { os };", "import { x } from './helper.ts'; export default { x };"]) {
      writeFileSync(path.join(dir, 'src/index.ts'), source);
      writeFileSync(path.join(dir, 'src/helper.ts'), "import path from 'path'; export const x = path;");
      const build = await run(['build'], dir);
      expect(build.code).toBe(1);
      expect(build.err).toMatch(/src\/(index|helper)\.ts imports '(node:fs|os|path)': plugin code runs in a sandbox without Node\.js built-ins/u);
    }
    writeFileSync(path.join(dir, 'src/index.ts'), `export default { big: ${JSON.stringify('x'.repeat(5 * 1024 * 1024 + 1))} };`);
    expect((await run(['build'], dir)).err).toMatch(/over the 5242880-byte limit/u);
  });
});

describe('daicho-plugin keygen, sign, publish', () => {
  it('writes a private key only its owner reads, signs, and the signature verifies', async () => {
    const dir = project();
    const keygen = await run(['keygen', '--out', 'keys'], dir);
    expect(keygen.code).toBe(0);
    expect(statSync(path.join(dir, 'keys/daicho-signing.key')).mode & 0o777).toBe(0o600);
    const publicKey = /public key (\S+)/u.exec(keygen.out)![1]!;
    expect((await run(['keygen', '--out', 'keys'], dir)).err).toContain('refusing to overwrite');

    const examplePack = await run(['pack', '--dir', path.join(repoDir, 'examples/hello-plugin'), '--out', dir], dir);
    expect(examplePack.code).toBe(0);
    const sign = await run(['sign', 'acme.hello-0.1.0.tgz', '--key', 'keys/daicho-signing.key'], dir);
    expect(sign.code).toBe(0);
    const signature = JSON.parse(readFileSync(path.join(dir, 'acme.hello-0.1.0.tgz.sig.json'), 'utf8')) as PluginSignature;
    expect(signature.publicKey).toBe(publicKey);
    expect(verifyPluginSignature(readFileSync(path.join(dir, 'acme.hello-0.1.0.tgz')), signature, [publicKey])).toEqual({ ok: true });

    // publish: a local registry that records what it was sent.
    const received: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: Buffer }> = [];
    let answer = { status: 201, body: '{"id":"acme.hello","version":"0.1.0"}' };
    const registry = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
    try {
      const publish = await run(['publish', 'acme.hello-0.1.0.tgz', '--registry', registryUrl], dir, { DAICHO_REGISTRY_TOKEN: 'secret-token' });
      expect(publish).toMatchObject({ code: 0, out: 'Published: {"id":"acme.hello","version":"0.1.0"}\n' });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: 'POST', url: '/api/v1/marketplace/packages', headers: { authorization: 'Bearer secret-token', 'content-type': 'application/gzip' } });
      expect(received[0]!.body.equals(readFileSync(path.join(dir, 'acme.hello-0.1.0.tgz')))).toBe(true);
      expect(JSON.parse(Buffer.from(String(received[0]!.headers['x-daicho-signature']), 'base64').toString('utf8'))).toEqual(signature);

      answer = { status: 409, body: '{"error":{"code":"CONFLICT","message":"0.1.0 is already published"}}' };
      const refused = await run(['publish', 'acme.hello-0.1.0.tgz', '--registry', registryUrl, '--token', 't'], dir);
      expect(refused).toMatchObject({ code: 1, err: 'daicho-plugin: The registry refused the package: 409 CONFLICT 0.1.0 is already published\n' });

      expect((await run(['publish', 'acme.hello-0.1.0.tgz', '--registry', 'http://registry.example.com', '--token', 't'], dir)).err).toContain('must be https');
      // A signature that does not match the package is caught before anything is sent.
      writeFileSync(path.join(dir, 'acme.hello-0.1.0.tgz.sig.json'), JSON.stringify({ ...signature, digest: '0'.repeat(64) }));
      expect((await run(['publish', 'acme.hello-0.1.0.tgz', '--registry', registryUrl, '--token', 't'], dir)).err).toContain('does not match the package');
      expect(received).toHaveLength(2);
    } finally {
      registry.close();
    }
  });
});

describe('the examples', () => {
  it.each(['hello-plugin', 'webhook-plugin'])('%s builds and packs with the CLI, and its package reads back and validates', async (example) => {
    const out = project();
    const dir = path.join(repoDir, 'examples', example);
    const pack = await run(['pack', '--dir', dir, '--out', out], out);
    expect(pack.err).toBe('');
    const file = /Wrote (\S+\.tgz)/u.exec(pack.out)![1]!;
    const pkg = await readPluginPackage(readFileSync(path.resolve(out, file)));
    const manifest = JSON.parse(readFileSync(path.join(dir, 'daicho-plugin.json'), 'utf8'));
    expect(pkg.manifest).toEqual(manifest);
    expect(pkg.files.has('dist/plugin.js')).toBe(true);
    // The committed record types are the ones the build generates.
    expect(readFileSync(path.join(dir, 'src/daicho-objects.d.ts'), 'utf8')).toBe(renderObjectTypes(loadPluginProject(dir)));
  });
});

describe('daicho-plugin with bad arguments', () => {
  it('prints the usage', async () => {
    expect((await run([], repoDir)).out).toContain('Usage: daicho-plugin <command>');
    expect(await run(['frobnicate'], repoDir)).toMatchObject({ code: 1, err: expect.stringContaining('Unknown command frobnicate') });
    expect(await run(['build', '--nope'], repoDir)).toMatchObject({ code: 1, err: expect.stringContaining("Unknown option '--nope'") });
  });
});
