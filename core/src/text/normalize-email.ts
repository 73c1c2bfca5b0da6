import type { NormalizeResult } from './normalize-result.ts';
import { normalizeText } from './normalize-text.ts';

/** Why a value is not an e-mail address we accept. */
export type EmailProblem = 'empty' | 'tooLong' | 'missingAt' | 'invalidLocalPart' | 'invalidDomain';

// RFC 5321 limits: 64 octets before the @, 254 for the whole path.
const maxLocalPartLength = 64;
const maxAddressLength = 254;
// Dot-atom local part (RFC 5322 atext, no leading, trailing or doubled dot). Quoted local parts
// ("john doe"@example.com) are legal but practically unused and are refused.
const localPart = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/u;
// Host names of at least two labels (letters, digits, inner hyphens; 63 characters each); the
// top-level label is alphabetic or an IDNA A-label (xn--…).
const domainLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/u;
const topLevelLabel = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/u;

/**
 * Normalises an e-mail address: NFKC (so full-width ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ becomes ASCII),
 * trimmed, and lower-cased as a whole (local part included: no mail system in practice tells
 * Yamada@ from yamada@, and one spelling makes duplicates findable). Then checks a sane shape:
 * one `@`, a dot-atom local part of at most 64 characters, a host name of two or more ASCII
 * labels, 254 characters in all.
 *
 * @example
 * normalizeEmail(' Yamada@Example.CO.JP '); // { ok: true, value: 'yamada@example.co.jp' }
 * normalizeEmail('yamada.example.jp'); // { ok: false, value: 'yamada.example.jp', problem: 'missingAt' }
 */
export function normalizeEmail(value: string): NormalizeResult<EmailProblem> {
  const email = normalizeText(value, { case: 'lower' });
  const problem = emailProblem(email);
  return problem === null ? { ok: true, value: email } : { ok: false, value: email, problem };
}

function emailProblem(email: string): EmailProblem | null {
  if (email === '') return 'empty';
  if (email.length > maxAddressLength) return 'tooLong';
  const at = email.lastIndexOf('@');
  if (at === -1) return 'missingAt';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length === 0 || local.length > maxLocalPartLength || !localPart.test(local)) return 'invalidLocalPart';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => domainLabel.test(label)) || !topLevelLabel.test(labels.at(-1)!)) return 'invalidDomain';
  return null;
}
