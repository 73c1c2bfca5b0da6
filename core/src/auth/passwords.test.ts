import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordHashParameters, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with argon2id at or above OWASP parameters, in PHC format with a random salt', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$[\w-]{22}\$[\w-]{43}$/);
    const [, memory, passes] = /m=(\d+),t=(\d+)/.exec(first)!;
    expect(Number(memory)).toBeGreaterThanOrEqual(19_456);
    expect(Number(passes)).toBeGreaterThanOrEqual(2);
    expect(first).not.toBe(second);
    expect(passwordHashParameters.memoryKiB * passwordHashParameters.passes).toBeGreaterThanOrEqual(19_456 * 2);
  });

  it('verifies the right password and refuses a wrong one or a malformed hash', async () => {
    const stored = await hashPassword('パスワード123');
    expect(await verifyPassword('パスワード123', stored)).toBe(true);
    expect(await verifyPassword('パスワード124', stored)).toBe(false);
    expect(await verifyPassword('パスワード123', stored.replace('argon2id', 'argon2i'))).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });

  it('generates unambiguous random passwords', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(passwords.size).toBe(50);
    for (const password of passwords) expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
  });
});
