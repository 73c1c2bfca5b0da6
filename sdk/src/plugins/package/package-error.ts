import type { ErrorCode } from '../../errors/index.ts';

/**
 * Why a package was refused; `details.reason` of an `INVALID_PLUGIN_PACKAGE` error.
 *
 * @example
 * if (error instanceof PluginPackageError && error.details.reason === 'UNSAFE_PATH') console.error(error.details.entry);
 */
export type PackageRefusalReason =
  | 'NOT_GZIP'
  | 'MALFORMED_ARCHIVE'
  | 'UNSUPPORTED_ENTRY'
  | 'UNSAFE_PATH'
  | 'DUPLICATE_ENTRY'
  | 'TOO_MANY_ENTRIES'
  | 'ENTRY_TOO_LARGE'
  | 'PACKAGE_TOO_LARGE'
  | 'COMPRESSION_RATIO'
  | 'MANIFEST_MISSING'
  | 'FILE_MISSING';

/**
 * A package or manifest refused by the SDK. The host maps it to its API error with the same code:
 * `INVALID_PLUGIN_PACKAGE` (`details.reason`, and `details.entry` when one entry is at fault) or
 * `INVALID_MANIFEST` (`details.problems`: `{ path, message }[]`).
 *
 * @example
 * try { await readPluginPackage(bytes); }
 * catch (error) { if (error instanceof PluginPackageError) throw apiError(error.code, error.message, error.details); throw error; }
 */
export class PluginPackageError extends Error {
  readonly code: Extract<ErrorCode, 'INVALID_PLUGIN_PACKAGE' | 'INVALID_MANIFEST'>;
  readonly details: Record<string, unknown>;

  constructor(code: PluginPackageError['code'], message: string, details: Record<string, unknown>) {
    super(message);
    this.name = 'PluginPackageError';
    this.code = code;
    this.details = details;
  }

  /** The archive itself is refused. */
  static refused(reason: PackageRefusalReason, message: string, entry?: string): PluginPackageError {
    return new PluginPackageError('INVALID_PLUGIN_PACKAGE', message, entry === undefined ? { reason } : { reason, entry });
  }

  /** The manifest breaks the schema or the semantic checks. */
  static invalidManifest(problems: Array<{ path: string; message: string }>): PluginPackageError {
    return new PluginPackageError('INVALID_MANIFEST', `daicho-plugin.json has ${problems.length} problem(s): ${problems.slice(0, 3).map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`, { problems });
  }
}
