import { createHmac } from 'node:crypto';
import type { ApiResponse, TestDaicho } from '@daicho/core/testing';

/** The `name=value` of the session cookie a response sets, and its full Set-Cookie line. */
export function sessionCookieOf(response: { headers: Headers }): { pair: string; line: string; name: string; value: string } | undefined {
  const line = response.headers.getSetCookie().find((cookie) => /^(__Host-)?daicho_session=/.test(cookie));
  if (!line) return undefined;
  const pair = line.split(';')[0]!;
  const [name, value] = pair.split('=') as [string, string];
  return { pair, line, name, value };
}

/** POST /api/v1/auth/login without the admin's token. */
export function signIn(daicho: TestDaicho, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return daicho.api.post('/api/v1/auth/login', body, { token: null, headers });
}

/** The error code of a response, or undefined when it succeeded. */
export function codeOf(response: ApiResponse): string | undefined {
  return (response.body as { error?: { code?: string } } | undefined)?.error?.code;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An independent RFC 6238 implementation (SHA-1, 6 digits, 30 s), as an authenticator app computes codes. */
export function totpFor(base32Secret: string, atMs = Date.now()): string {
  let bits = '';
  for (const char of base32Secret.replace(/=+$/, '')) bits += BASE32.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19]! & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Defines roles (with one empty permission set) so that users and tokens can be given them. */
export async function defineRoles(daicho: TestDaicho, ...names: string[]): Promise<void> {
  const set = await daicho.api.put('/api/v1/meta/permission-sets/basic', { name: 'basic', labels: { en: 'Basic' } });
  if (set.status >= 300) throw new Error(`permission set: ${JSON.stringify(set.body)}`);
  for (const name of names) {
    const role = await daicho.api.put(`/api/v1/meta/roles/${name}`, { name, labels: { en: name }, permissionSets: ['basic'] });
    if (role.status >= 300) throw new Error(`role ${name}: ${JSON.stringify(role.body)}`);
  }
}
