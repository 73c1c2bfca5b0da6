// A validator for the small subset of JSON Schema 2020-12 that the manifest schema uses.
// Why not Ajv: the SDK ships to plugin authors with esbuild, tar-stream and semver only; core
// validates the same file with its Ajv (createPlatformAjv). Interpreting the schema file itself,
// rather than re-stating its rules in code, keeps the one file the one source of truth; an unknown
// keyword throws, so the schema cannot silently grow past what this checks.

/**
 * One schema violation, located by JSON pointer (`/contributes/objects/0`).
 *
 * @example
 * const problem: SchemaProblem = { path: '/permissions/0', message: 'must match the pattern …' };
 */
export interface SchemaProblem {
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

const supportedKeywords = new Set([
  '$schema', '$id', '$defs', '$ref', 'title', 'description',
  'type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties',
  'items', 'minItems', 'maxItems', 'uniqueItems',
  'pattern', 'minLength', 'maxLength', 'enum', 'const',
]);

const patternCache = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp {
  let regExp = patternCache.get(pattern);
  if (!regExp) {
    regExp = new RegExp(pattern, 'u');
    patternCache.set(pattern, regExp);
  }
  return regExp;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function resolveRef(root: Schema, ref: string): Schema {
  const match = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(ref);
  const target = match ? (root.$defs as Record<string, Schema> | undefined)?.[match[1]!] : undefined;
  if (!target) throw new Error(`Unsupported or unknown $ref ${ref}`);
  return target;
}

/**
 * Validates `value` against `schema` (which must use only the supported keywords) and returns every
 * problem found, in document order.
 *
 * @example
 * validateSchemaSubset({ type: 'string', maxLength: 3 }, 'abcd'); // [{ path: '', message: 'must be at most 3 characters' }]
 */
export function validateSchemaSubset(schema: Schema, value: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  visit(schema, schema, value, '', problems);
  return problems;
}

function visit(root: Schema, schema: Schema, value: unknown, path: string, problems: SchemaProblem[]): void {
  for (const keyword of Object.keys(schema)) {
    if (!supportedKeywords.has(keyword)) throw new Error(`Unsupported schema keyword ${keyword}`);
  }
  if (typeof schema.$ref === 'string') visit(root, resolveRef(root, schema.$ref), value, path, problems);
  const problem = (message: string) => problems.push({ path, message });

  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    problem(`must be ${JSON.stringify(schema.const)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) {
    problem(`must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`);
  }
  if (typeof schema.type === 'string') {
    const actual = typeOf(value);
    const matches = actual === schema.type || (schema.type === 'number' && actual === 'integer');
    if (!matches) {
      problem(`must be ${schema.type === 'object' || schema.type === 'array' ? 'an' : 'a'} ${schema.type}`);
      return;
    }
  }
  if (typeof value === 'string') visitString(schema, value, problem);
  else if (Array.isArray(value)) visitArray(root, schema, value, path, problems, problem);
  else if (typeOf(value) === 'object') visitObject(root, schema, value as Record<string, unknown>, path, problems, problem);
}

function visitString(schema: Schema, value: string, problem: (message: string) => void): void {
  // JSON Schema counts characters as code points; a length check first keeps huge strings cheap.
  const length = value.length > 1_000_000 ? value.length : [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) problem(`must be at least ${schema.minLength} characters`);
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    problem(`must be at most ${schema.maxLength} characters`);
    return; // never run a pattern over an over-long string
  }
  if (typeof schema.pattern === 'string' && !compilePattern(schema.pattern).test(value)) {
    problem(`must match the pattern ${schema.pattern}`);
  }
}

function visitArray(root: Schema, schema: Schema, value: unknown[], path: string, problems: SchemaProblem[], problem: (message: string) => void): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) problem(`must have at least ${schema.minItems} items`);
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    problem(`must have at most ${schema.maxItems} items`);
    return;
  }
  if (schema.uniqueItems === true) {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) problems.push({ path: pointer(path, index), message: 'must not repeat an earlier item' });
      seen.add(key);
    });
  }
  if (schema.items && typeof schema.items === 'object') {
    value.forEach((item, index) => visit(root, schema.items as Schema, item, pointer(path, index), problems));
  }
}

function visitObject(root: Schema, schema: Schema, value: Record<string, unknown>, path: string, problems: SchemaProblem[], problem: (message: string) => void): void {
  const keys = Object.keys(value);
  if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) problem(`must have at least ${schema.minProperties} properties`);
  if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
    problem(`must have at most ${schema.maxProperties} properties`);
    return;
  }
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    if (!Object.hasOwn(value, name)) problem(`must have the property ${name}`);
  }
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const key of keys) {
    const childPath = pointer(path, key);
    if (schema.propertyNames && typeof schema.propertyNames === 'object') {
      const nameProblems = validateSchemaSubsetAt(root, schema.propertyNames as Schema, key);
      if (nameProblems.length > 0) problems.push({ path: childPath, message: `is not an allowed property name (${nameProblems[0]!.message})` });
    }
    if (Object.hasOwn(properties, key)) {
      visit(root, properties[key]!, value[key], childPath, problems);
    } else if (schema.additionalProperties === false) {
      problems.push({ path: childPath, message: 'is not an allowed property' });
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      visit(root, schema.additionalProperties as Schema, value[key], childPath, problems);
    }
  }
}

function validateSchemaSubsetAt(root: Schema, schema: Schema, value: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  visit(root, schema, value, '', problems);
  return problems;
}
