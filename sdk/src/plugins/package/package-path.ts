/**
 * The manifest inside every package, at the top level.
 *
 * @example
 * const manifest = JSON.parse(new TextDecoder().decode(files.get(manifestFileName)));
 */
export const manifestFileName = 'daicho-plugin.json';

const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/u;

/**
 * Why an entry name is unsafe, or null when it is a clean relative path: forward slashes only,
 * no absolute path, drive letter, `.`/`..` or empty segment, NUL, and only [A-Za-z0-9._-] so that
 * no file system can read it differently (Unicode normalisation, case folding aside).
 *
 * @example
 * unsafePathReason('dist/plugin.js'); // null
 * unsafePathReason('../etc/passwd');  // 'has a .. segment'
 */
export function unsafePathReason(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > 200) return 'is longer than 200 characters';
  if (name.includes('\0')) return 'contains NUL';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/')) return 'is absolute';
  if (/^[A-Za-z]:/u.test(name)) return 'starts with a drive letter';
  const segments = name.split('/');
  if (segments.includes('..')) return 'has a .. segment';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'has an empty or . segment';
  if (!segments.every((segment) => segmentPattern.test(segment))) return 'has characters outside [A-Za-z0-9._-]';
  return null;
}
