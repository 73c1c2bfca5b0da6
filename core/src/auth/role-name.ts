/**
 * The form of a role's name: lower-case words with underscores, optionally qualified by a
 * plugin (`acme.support.agent`). Whether such a role exists is the authorisation module's to say.
 */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}(\.[a-z][a-z0-9_]{0,62}){0,3}$/;

export function isRoleName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 200 && ROLE_NAME_PATTERN.test(value);
}
