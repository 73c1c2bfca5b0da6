import { existsSync, readFileSync } from 'node:fs';
import type { PluginSignature } from '../plugins/contract.ts';
import { readPluginPackage, verifyPluginSignature } from '../plugins/tools.ts';
import { CliError } from './cli-error.ts';

/**
 * The marketplace route `publish` posts to, under the registry's URL.
 *
 * @example
 * new URL(publishPath, 'https://marketplace.example.com/');
 */
export const publishPath = '/api/v1/marketplace/packages';

/**
 * The header carrying a package's detached signature: base64 of the `.sig.json` document. The same
 * convention as `POST /api/v1/plugins` (install), so one reader serves the registry and install.
 *
 * @example
 * const signature = JSON.parse(Buffer.from(request.headers[signatureHeader], 'base64').toString('utf8'));
 */
export const signatureHeader = 'x-daicho-signature';

/**
 * Encodes a signature for {@link signatureHeader}.
 *
 * @example
 * headers[signatureHeader] = encodeSignatureHeader(JSON.parse(readFileSync(`${tgz}.sig.json`, 'utf8')));
 */
export function encodeSignatureHeader(signature: PluginSignature): string {
  return Buffer.from(JSON.stringify(signature), 'utf8').toString('base64');
}

/**
 * Where to publish, with which token; `fetch` is replaceable for tests.
 *
 * @example
 * await publishPackage(file, { registry: 'http://127.0.0.1:4000', token: 't', fetch: fakeFetch });
 */
export interface PublishOptions {
  registry: string;
  token: string;
  fetch?: typeof fetch;
}

/**
 * `daicho-plugin publish <tgz>`: checks the package and `<tgz>.sig.json` locally (the same checks
 * as install, and that the signature verifies with its own key), then posts the package
 * (`application/gzip`) with its signature in `X-Daicho-Signature` and `Authorization: Bearer
 * <token>`. Returns the registry's JSON answer.
 *
 * @example
 * await publishPackage('acme.hello-0.1.0.tgz', { registry: 'https://marketplace.example.com', token });
 */
export async function publishPackage(packageFile: string, options: PublishOptions): Promise<unknown> {
  const signatureFile = `${packageFile}.sig.json`;
  if (!existsSync(packageFile)) throw new CliError(`${packageFile} does not exist`);
  if (!existsSync(signatureFile)) throw new CliError(`${signatureFile} does not exist; run daicho-plugin sign first`);
  const bytes = readFileSync(packageFile);
  const signature = JSON.parse(readFileSync(signatureFile, 'utf8')) as PluginSignature;
  await readPluginPackage(bytes);
  const verified = verifyPluginSignature(bytes, signature, [signature.publicKey]);
  if (!verified.ok) throw new CliError(`${signatureFile} does not match the package: ${verified.message}`);

  let url: URL;
  try {
    url = new URL(publishPath, options.registry.endsWith('/') ? options.registry : `${options.registry}/`);
  } catch {
    throw new CliError(`--registry ${options.registry} is not a URL`);
  }
  if (url.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new CliError('The registry must be https (plain http only for localhost)');
  }
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/gzip', authorization: `Bearer ${options.token}`, [signatureHeader]: encodeSignatureHeader(signature) },
    body: bytes,
  });
  const text = await response.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the message
  }
  if (!response.ok) {
    const error = (answer as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new CliError(`The registry refused the package: ${response.status} ${error?.code ?? ''} ${error?.message ?? (typeof answer === 'string' ? answer.slice(0, 200) : '')}`.trim());
  }
  return answer;
}
