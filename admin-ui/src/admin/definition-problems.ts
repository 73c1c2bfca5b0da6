import type { TFunction } from 'i18next';

/** One problem of a `422 INVALID_DEFINITION` answer: where (a JSON pointer), what (a code). */
export interface DefinitionProblem {
  path: string;
  code: string;
  message: string;
}

/** A form item's path in Ant Design's terms (`['labels', 'en']`). */
export type ItemPath = Array<string | number>;

/** Problems placed on form items, and those no item shows (for a banner). */
export interface PlacedProblems {
  items: Array<{ name: ItemPath; errors: string[] }>;
  rest: string[];
}

/** The problems in an error's details, if any. */
export function definitionProblemsOf(details: unknown): DefinitionProblem[] {
  const problems = (details as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(problems)) return [];
  return problems
    .filter((problem): problem is DefinitionProblem => typeof problem?.path === 'string' && typeof problem?.code === 'string')
    .map((problem) => ({ ...problem, message: typeof problem.message === 'string' ? problem.message : '' }));
}

/** The segments of a JSON pointer, unescaped; array indexes become numbers. */
export function pointerSegments(pointer: string): ItemPath {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

function startsWith(path: ItemPath, prefix: ItemPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

/**
 * The form item that shows the problem at `pointer`: the deepest item whose path starts the
 * pointer (`/values/1/labels/ja` → `values`), else the first item inside what the pointer names
 * (`/labels`, "needs a label" → `labels.ja`). Undefined when no item fits.
 */
export function itemForPointer(pointer: string, items: readonly ItemPath[]): ItemPath | undefined {
  const path = pointerSegments(pointer);
  let best: ItemPath | undefined;
  for (const item of items) if (startsWith(path, item) && (best === undefined || item.length > best.length)) best = item;
  if (best !== undefined) return best;
  return path.length > 0 ? items.find((item) => startsWith(item, path)) : undefined;
}

const translatedCodes = new Set([
  'required', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum', 'type', 'const', 'additionalProperties', 'minProperties', 'uniqueItems',
  'minItems', 'maxItems', 'not', 'format', 'duplicateName', 'unknownField', 'unknownObject', 'unsuitableField', 'unsupported', 'unsupportedConversion',
  'immutable', 'inUse', 'tooManyMasters', 'platformManaged', 'typeMismatch',
]);

/**
 * A problem in the UI language, from its code. A name that breaks the naming pattern gets its own
 * explanation; a code this build does not know (a formula's parse error, a newer rule) shows the
 * server's detail, which is then the only description there is.
 */
export function problemText(problem: DefinitionProblem, t: TFunction): string {
  const last = pointerSegments(problem.path).at(-1);
  if (problem.code === 'pattern' && problem.path === '/name') return t('designer.problems.namePattern');
  if (problem.code === 'pattern' && last === 'name') return t('designer.problems.namePattern');
  if (problem.code === 'pattern' && last === 'format') return t('designer.problems.autoNumberFormat');
  if (translatedCodes.has(problem.code)) return t(`designer.problems.${problem.code}` as 'designer.problems.required');
  return t('designer.problems.other', { message: problem.message });
}

/**
 * Places each problem on the form item its pointer names (see {@link itemForPointer}), translated;
 * a problem deeper than its item (a picklist row) says which entry it concerns.
 */
export function placeProblems(problems: readonly DefinitionProblem[], items: readonly ItemPath[], t: TFunction): PlacedProblems {
  const placed = new Map<string, { name: ItemPath; errors: string[] }>();
  const rest: string[] = [];
  for (const problem of problems) {
    const item = itemForPointer(problem.path, items);
    const text = problemText(problem, t);
    if (item === undefined) {
      rest.push(problem.path === '' ? text : `${problem.path}: ${text}`);
      continue;
    }
    const deeper = pointerSegments(problem.path).slice(item.length);
    const index = deeper.find((segment) => typeof segment === 'number');
    const where = typeof index === 'number' ? `${t('designer.problems.entry', { number: index + 1 })} ` : '';
    const key = JSON.stringify(item);
    const entry = placed.get(key) ?? { name: item, errors: [] };
    entry.errors.push(`${where}${text}`);
    placed.set(key, entry);
  }
  return { items: [...placed.values()], rest };
}
