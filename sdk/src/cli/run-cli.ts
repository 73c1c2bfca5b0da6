import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sdkPackage from '../../package.json' with { type: 'json' };
import { PluginPackageError } from '../plugins/tools.ts';
import { buildPlugin } from './build-plugin.ts';
import { CliError } from './cli-error.ts';
import { writeObjectTypes } from './generate-types.ts';
import { renderTemplate } from './init-templates.ts';
import { packPlugin } from './pack-plugin.ts';
import { loadPluginProject } from './plugin-project.ts';
import { publishPackage } from './publish-plugin.ts';
import { keygen, signPackage } from './sign-plugin.ts';
import { testPlugin } from './test-plugin.ts';

const usage = `Usage: daicho-plugin <command> [options]

  init <dir> --id <publisher.name>   write a working plugin template into <dir>
  build   [--dir <dir>]              check daicho-plugin.json, write types and dist/plugin.js
  types   [--dir <dir>]              write src/daicho-objects.d.ts from the object definitions
  pack    [--dir <dir>] [--out <d>]  build, then write <id>-<version>.tgz and print its sha256
  keygen  [--out <dir>] [--name n]   write an ed25519 key pair (n.key, mode 0600, and n.pub)
  sign <tgz> --key <file>            write <tgz>.sig.json
  publish <tgz> --registry <url> [--token <t>]   post the package and its signature
                                     (the token may come from DAICHO_REGISTRY_TOKEN)
  test    [--dir <dir>] [files…]     run the plugin's tests against a real Daichō server
`;

/**
 * Where the CLI writes; tests pass their own.
 *
 * @example
 * await runCli(['build'], { cwd, env: {}, out: (t) => (out += t), err: (t) => (err += t) });
 */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
};

/**
 * Runs `daicho-plugin` with `argv` (without node and the script) and returns the exit code.
 *
 * @example
 * process.exitCode = await runCli(['pack', '--dir', 'examples/hello-plugin']);
 */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        dir: { type: 'string' },
        out: { type: 'string' },
        id: { type: 'string' },
        name: { type: 'string' },
        key: { type: 'string' },
        registry: { type: 'string' },
        token: { type: 'string' },
        'sdk-version': { type: 'string' },
      },
    });
    const resolve = (p: string | undefined, fallback = '.') => path.resolve(io.cwd, p ?? fallback);
    const dir = resolve(values.dir);
    switch (command) {
      case 'init': {
        const target = resolve(positionals[0] ?? values.dir);
        if (!values.id) throw new CliError('init needs --id <publisher.name>, e.g. --id acme.hello');
        if (existsSync(target) && readdirSync(target).length > 0) throw new CliError(`${target} is not empty`);
        const files = renderTemplate({ id: values.id, sdkVersion: values['sdk-version'] ?? `^${sdkPackage.version}` });
        for (const [file, content] of files) {
          mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
          writeFileSync(path.join(target, file), content);
        }
        // The template must pass its own checks: an id the manifest refuses fails here, not later.
        loadPluginProject(target);
        io.out(`Wrote ${values.id} to ${target}. Next: cd ${path.relative(io.cwd, target) || '.'} && pnpm install && pnpm build\n`);
        return 0;
      }
      case 'build': {
        const result = await buildPlugin(dir);
        io.out(result.bundlePath ? `Built ${path.relative(io.cwd, result.bundlePath)} (${result.bundleBytes} bytes)\n` : 'Checked the manifest (no main: a definition-only plugin)\n');
        return 0;
      }
      case 'types': {
        io.out(`Wrote ${path.relative(io.cwd, writeObjectTypes(loadPluginProject(dir)))}\n`);
        return 0;
      }
      case 'pack': {
        const result = await packPlugin(dir, resolve(values.out, values.dir));
        io.out(`Wrote ${path.relative(io.cwd, result.file)}\nsha256 ${result.digest}\n`);
        return 0;
      }
      case 'keygen': {
        const result = keygen(resolve(values.out), values.name);
        io.out(`Wrote ${result.privateKeyFile} (keep it secret) and ${result.publicKeyFile}\npublic key ${result.publicKey}\n`);
        return 0;
      }
      case 'sign': {
        if (!positionals[0] || !values.key) throw new CliError('sign needs <tgz> --key <private key file>');
        const result = signPackage(resolve(positionals[0]), resolve(values.key));
        io.out(`Wrote ${path.relative(io.cwd, result.file)}\nsha256 ${result.signature.digest}\npublic key ${result.signature.publicKey}\n`);
        return 0;
      }
      case 'publish': {
        const token = values.token ?? io.env.DAICHO_REGISTRY_TOKEN;
        if (!positionals[0] || !values.registry || !token) throw new CliError('publish needs <tgz> --registry <url> and --token <token> (or DAICHO_REGISTRY_TOKEN)');
        const answer = await publishPackage(resolve(positionals[0]), { registry: values.registry, token });
        io.out(`Published: ${JSON.stringify(answer)}\n`);
        return 0;
      }
      case 'test': {
        const result = await testPlugin(dir, { env: io.env, log: (line) => io.err(`${line}\n`), ...(positionals.length > 0 ? { files: positionals } : {}) });
        return result.exitCode;
      }
      case undefined:
      case 'help':
      case '--help':
        io.out(usage);
        return command === undefined ? 1 : 0;
      case '--version':
        io.out(`${sdkPackage.version}\n`);
        return 0;
      default:
        throw new CliError(`Unknown command ${command}\n\n${usage}`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`daicho-plugin: ${error.message}\n${error.problems.map((problem) => `  ${problem}\n`).join('')}`);
      return error.exitCode;
    }
    if (error instanceof PluginPackageError) {
      const problems = (error.details.problems as Array<{ path: string; message: string }> | undefined) ?? [];
      io.err(`daicho-plugin: ${error.code}: ${error.message}\n${problems.map((p) => `  ${p.path || '/'}: ${p.message}\n`).join('')}`);
      return 1;
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`daicho-plugin: ${error.message}\n\n${usage}`);
      return 1;
    }
    throw error;
  }
}
