import { DaichoError } from '../errors/index.ts';
import { canonicalEmail } from './canonical.ts';
import { normalizePassword } from './passwords.ts';

/** What a new password must satisfy (configured by DAICHO_PASSWORD_MIN_LENGTH / _MAX_LENGTH). */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export const defaultPasswordPolicy: PasswordPolicy = { minLength: 12, maxLength: 128 };

export type PasswordProblem = 'tooShort' | 'tooLong' | 'sameAsEmail' | 'common';

// Very common passwords of 8 or more characters (from the lists attackers try first), compared
// case-insensitively after NFKC. Short ones are already refused by the minimum length.
const commonPasswords = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '123456789012', '1234567890123', '00000000', '000000000000',
  '11111111', '111111111111', '87654321', '0987654321', '11223344', '123123123', '123123123123', '147258369', '987654321',
  'password', 'password1', 'password12', 'password123', 'password1234', 'password12345', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'p@ssw0rd123', 'passwordpassword', 'mypassword', 'mypassword123', 'changeme', 'changeme123', 'changemenow', 'letmein',
  'letmein123', 'welcome1', 'welcome123', 'welcome1234', 'qwerty123', 'qwertyuiop', 'qwertyuiop123', 'qwerty123456',
  'qwertyui', 'asdfghjkl', 'asdfghjkl123', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y', 'zaq12wsx', 'zaq1zaq1',
  'iloveyou', 'iloveyou123', 'sunshine', 'princess', 'football', 'baseball', 'superman', 'starwars', 'trustno1',
  'administrator', 'admin123', 'admin1234', 'adminadmin', 'administrator1', 'rootroot', 'abc12345', 'abcd1234',
  'abcdefgh', 'abcdefghijkl', 'abc123456789', 'aa123456', 'a1234567', 'a123456789', 'monkey123', 'dragon123',
  'master123', 'secret123', 'login123', 'test1234', 'testtest', 'test123456', 'guest1234', 'default123',
  'daicho123', 'daicho1234', 'daichopassword', 'correcthorsebatterystaple',
]);

/** Every rule a candidate password breaks; empty when it may be used. */
export function checkPasswordPolicy(password: string, policy: PasswordPolicy, context: { email?: string } = {}): PasswordProblem[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const problems: PasswordProblem[] = [];
  if (length < policy.minLength) problems.push('tooShort');
  if (length > policy.maxLength) problems.push('tooLong');
  const folded = normalized.toLowerCase();
  if (context.email !== undefined && (folded === canonicalEmail(context.email) || folded === canonicalEmail(context.email).split('@')[0])) {
    problems.push('sameAsEmail');
  }
  if (commonPasswords.has(folded) || new Set(folded).size === 1) problems.push('common');
  return problems;
}

/** Throws WEAK_PASSWORD when the password breaks the policy. */
export function assertPasswordPolicy(password: string, policy: PasswordPolicy, context: { email?: string } = {}): void {
  const reasons = checkPasswordPolicy(password, policy, context);
  if (reasons.length === 0) return;
  throw new DaichoError('WEAK_PASSWORD', `The password is not allowed: ${reasons.join(', ')}`, {
    details: { reasons, minLength: policy.minLength, maxLength: policy.maxLength },
  });
}
