/** One RFC 6902 operation, the kinds our diffs use. */
export type JsonPatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const unescape = (token: string) => token.replaceAll('~1', '/').replaceAll('~0', '~');

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * The JSON Patch (RFC 6902) that turns `before` into `after`: objects are compared key by key,
 * arrays element by element (trailing elements added or removed), anything else replaced.
 * Stored with each definition version, it is what "what changed" screens show.
 */
export function diffJson(before: unknown, after: unknown, path = ''): JsonPatchOperation[] {
  if (deepEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const operations: JsonPatchOperation[] = [];
    for (const key of Object.keys(before)) {
      if (!Object.hasOwn(after, key)) operations.push({ op: 'remove', path: `${path}/${escape(key)}` });
    }
    for (const key of Object.keys(after)) {
      const child = `${path}/${escape(key)}`;
      if (!Object.hasOwn(before, key)) operations.push({ op: 'add', path: child, value: after[key] });
      else operations.push(...diffJson(before[key], after[key], child));
    }
    return operations;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const operations: JsonPatchOperation[] = [];
    const common = Math.min(before.length, after.length);
    for (let index = 0; index < common; index++) operations.push(...diffJson(before[index], after[index], `${path}/${index}`));
    // Remove from the end first, so that earlier indexes stay valid.
    for (let index = before.length - 1; index >= common; index--) operations.push({ op: 'remove', path: `${path}/${index}` });
    for (let index = common; index < after.length; index++) operations.push({ op: 'add', path: `${path}/${index}`, value: after[index] });
    return operations;
  }
  return [{ op: 'replace', path, value: after }];
}

/** Applies a patch to a deep copy of `document` and returns the result. */
export function applyJsonPatch<T>(document: T, patch: readonly JsonPatchOperation[]): T {
  let root: unknown = structuredClone(document);
  for (const operation of patch) {
    if (operation.path === '') {
      if (operation.op === 'remove') throw new Error('cannot remove the root');
      root = structuredClone(operation.value);
      continue;
    }
    const tokens = operation.path.split('/').slice(1).map(unescape);
    const last = tokens.pop()!;
    let parent: unknown = root;
    for (const token of tokens) parent = (parent as Record<string, unknown>)[token];
    if (Array.isArray(parent)) {
      const index = Number(last);
      if (operation.op === 'add') parent.splice(index, 0, structuredClone(operation.value));
      else if (operation.op === 'remove') parent.splice(index, 1);
      else parent[index] = structuredClone(operation.value);
    } else if (isObject(parent)) {
      if (operation.op === 'remove') delete parent[last];
      // defineProperty, not assignment: a key named __proto__ must stay a plain key.
      else Object.defineProperty(parent, last, { value: structuredClone(operation.value), enumerable: true, writable: true, configurable: true });
    } else {
      throw new Error(`path ${operation.path} does not exist`);
    }
  }
  return root as T;
}
