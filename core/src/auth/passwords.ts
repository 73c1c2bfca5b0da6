import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);

/**
 * argon2id parameters: OWASP's first recommended configuration (19 MiB, 2 passes, 1 lane).
 * Stored with each hash, so raising them later rehashes passwords at their next login.
 */
export const passwordHashParameters = { memoryKiB: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

export interface PasswordHashParameters {
  memoryKiB: number;
  passes: number;
  parallelism: number;
  tagLength: number;
}

/**
 * Passwords are hashed and compared in Unicode NFKC form, so that a password typed with an input
 * method's full-width digits or letters is the same password as its half-width form.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Hashes a password with argon2id into the PHC string format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
export async function hashPassword(password: string, parameters: PasswordHashParameters = passwordHashParameters): Promise<string> {
  const { memoryKiB, passes, parallelism, tagLength } = parameters;
  const nonce = randomBytes(16);
  const tag = await argon2Async('argon2id', { message: normalizePassword(password), nonce, memory: memoryKiB, passes, parallelism, tagLength });
  return `$argon2id$v=19$m=${memoryKiB},t=${passes},p=${parallelism}$${nonce.toString('base64url')}$${tag.toString('base64url')}`;
}

/** Checks a password against a stored PHC argon2id hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!match) return false;
  const [, memory, passes, parallelism, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64url');
  const actual = await argon2Async('argon2id', {
    message: normalizePassword(password),
    nonce: Buffer.from(salt!, 'base64url'),
    memory: Number(memory),
    passes: Number(passes),
    parallelism: Number(parallelism),
    tagLength: expected.length,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The parameters a stored hash was made with, or undefined when it is no argon2id hash of ours. */
export function storedHashParameters(stored: string): PasswordHashParameters | undefined {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[\w-]+\$([\w-]+)$/.exec(stored);
  if (!match) return undefined;
  return { memoryKiB: Number(match[1]), passes: Number(match[2]), parallelism: Number(match[3]), tagLength: Buffer.from(match[4]!, 'base64url').length };
}

/**
 * Whether a stored hash was made with weaker parameters than today's (less memory, fewer passes
 * or a shorter tag), so that a successful sign-in should store a new hash.
 */
export function needsRehash(stored: string): boolean {
  const current = storedHashParameters(stored);
  if (!current) return true;
  return (
    current.memoryKiB < passwordHashParameters.memoryKiB ||
    current.passes < passwordHashParameters.passes ||
    current.tagLength < passwordHashParameters.tagLength
  );
}

/** A random password that is easy to copy: 20 characters from an unambiguous alphabet. */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length * 2);
  let password = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (byte < 256 - (256 % alphabet.length)) password += alphabet[byte % alphabet.length];
    if (password.length === length) break;
  }
  return password;
}
