import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';

// ajv-formats is CommonJS with a default export; loading it through require avoids the
// default-export interop differences between Node's ESM loader and bundlers.
const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as (ajv: Ajv2020, options: { mode: 'fast' | 'full'; formats: string[] }) => Ajv2020;

/** Formats we allow: simple, linear-time checks only (no user-supplied format ever). */
export type SafeFormat = 'date' | 'date-time' | 'email' | 'uri' | 'uuid';

export interface CreatePlatformAjvOptions {
  /** Report every problem (true) or stop at the first (false). */
  allErrors: boolean;
  /** Reject unknown keywords and ambiguous schemas: on for our meta-schemas. */
  strict: boolean;
  formats: SafeFormat[];
  /** Enable the OpenAPI `discriminator` keyword (for the field union). */
  discriminator?: boolean;
  /**
   * Compiles `pattern` keywords: record validation passes the admin-pattern checker, so that
   * only patterns proven safe ever run (and run as the checker warmed them up).
   */
  compilePattern?: (pattern: string) => RegExp;
}

function patternEngine(compile: (pattern: string) => RegExp) {
  // Ajv's RegExp engine: a function plus the source text it would use in standalone code.
  return Object.assign((pattern: string) => compile(pattern), { code: 'new RegExp' });
}

/**
 * The one way core builds an Ajv (JSON Schema 2020-12): `$data` is always off (its patterns and
 * bounds would come from the data itself), only the listed safe formats exist, and Unicode mode
 * applies to every pattern.
 */
export function createPlatformAjv(options: CreatePlatformAjvOptions): Ajv2020 {
  const ajv = new Ajv2020({
    strict: options.strict,
    allErrors: options.allErrors,
    discriminator: options.discriminator ?? false,
    $data: false,
    unicodeRegExp: true,
    allowUnionTypes: false,
    ...(options.compilePattern ? { code: { regExp: patternEngine(options.compilePattern) } } : {}),
  });
  // 'full' checks calendar validity (no 2026-02-30); the formats allowed are linear-time either way.
  addFormats(ajv, { mode: 'full', formats: options.formats });
  return ajv;
}
