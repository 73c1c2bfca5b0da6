// The dependency-direction rules of architecture.md ("Packages and their direction", "Layering
// inside core") and style.md §2–3, as one pure module: paths in, a named violation out. The ESLint
// rule (eslint-rule.ts) and the CLI (check-deps.ts) both call it, so they can never disagree.
import path from 'node:path';

/** Every rule this module enforces; each violation message starts with its name. */
export const ruleNames = [
  'package-direction',
  'no-relative-cross-package',
  'no-deep-package-import',
  'core-layering',
  'core-no-domain-imports-plugins',
  'core-composition-root',
  'core-index-only',
  'core-domain-cycle',
] as const;

export type RuleName = (typeof ruleNames)[number];

export interface Violation {
  rule: RuleName;
  /** What is wrong and how to fix it, without the rule name. */
  detail: string;
  /** `rule-name: detail`, the text the ESLint rule reports. */
  message: string;
}

/** Package name → the keys of its package.json `exports` (".", "./testing", "./schemas/*", …). */
export type PackageExports = Readonly<Record<string, readonly string[]>>;

export interface RulesOptions {
  /** Overrides or adds `exports` maps; the CLI and the ESLint plugin read them from package.json. */
  packageExports?: PackageExports;
}

/** The `exports` maps at the time of writing; a unit test keeps them in step with package.json. */
export const defaultPackageExports: PackageExports = {
  '@daicho/sdk': ['.', './plugin-tools', './testing', './schemas/*', './package.json'],
  '@daicho/core': ['.', './testing', './package.json'],
};

/** Where an import points: a repo-relative file (for relative specifiers) or a package. */
export type ImportTarget =
  | { kind: 'file'; path: string }
  | { kind: 'package'; name: string; subpath: string }
  | { kind: 'outside-root'; specifier: string };

const scope = '@daicho/';

/** Resolves a specifier seen in `importer` (repo-relative, `/`-separated). Pure: no file access. */
export function resolveImport(importer: string, specifier: string): ImportTarget {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
    const joined = path.posix.normalize(path.posix.join(path.posix.dirname(toPosix(importer)), specifier));
    if (joined === '..' || joined.startsWith('../')) return { kind: 'outside-root', specifier };
    return { kind: 'file', path: joined.replace(/\/$/, '') };
  }
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const rest = parts.slice(nameLength).join('/');
  return { kind: 'package', name, subpath: rest === '' ? '.' : `./${rest}` };
}

/** Checks one import: `importer` is repo-relative, `specifier` as written in the source. */
export function checkImport(importer: string, specifier: string, options: RulesOptions = {}): Violation | null {
  return checkTarget(toPosix(importer), resolveImport(importer, specifier), specifier, options);
}

/** Same as {@link checkImport}, for a target already resolved (the CLI resolves once, checks and graphs). */
export function checkTarget(
  importer: string,
  target: ImportTarget,
  specifier: string,
  options: RulesOptions = {},
): Violation | null {
  const area = classifyArea(importer);
  if (target.kind === 'package') return checkPackageImport(importer, area, target, specifier, options);
  if (target.kind === 'outside-root') {
    if (area.kind === 'free') return null;
    return violation(
      'no-relative-cross-package',
      `${importer} imports '${specifier}', which leaves the repository; a package imports only its own files and other packages by name.`,
    );
  }
  if (area.kind === 'free') return null;
  if (!isInside(target.path, area.dir)) return checkRelativeEscape(importer, area, target.path, specifier);
  if (area.kind === 'core') return checkCoreImport(importer, target.path, specifier);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Packages

type Area =
  | { kind: 'free' } // test/, bench/, tools/, scripts/, docs/ and root files: may import anything
  | { kind: 'sdk' | 'core' | 'admin-ui' | 'plugin' | 'example'; dir: string };

function classifyArea(file: string): Area {
  const [first, second] = file.split('/');
  if (first === 'sdk' || first === 'core' || first === 'admin-ui') return { kind: first, dir: first };
  if ((first === 'plugins' || first === 'examples') && second !== undefined) {
    return { kind: first === 'plugins' ? 'plugin' : 'example', dir: `${first}/${second}` };
  }
  return { kind: 'free' };
}

/** Which workspace packages (by name) an area may import, besides its own name. */
function allowedWorkspacePackages(area: Area): readonly string[] | 'any' {
  switch (area.kind) {
    case 'free':
      return 'any';
    case 'sdk':
      return [];
    default:
      return ['@daicho/sdk'];
  }
}

const ownPackageName: Partial<Record<Area['kind'], string>> = {
  sdk: '@daicho/sdk',
  core: '@daicho/core',
  'admin-ui': '@daicho/admin-ui',
};

function describeArea(area: Area): string {
  switch (area.kind) {
    case 'free':
      return 'this folder';
    case 'plugin':
      return `the plugin ${area.dir}/`;
    case 'example':
      return `the example ${area.dir}/`;
    default:
      return `${area.dir}/`;
  }
}

function checkPackageImport(
  importer: string,
  area: Area,
  target: { name: string; subpath: string },
  specifier: string,
  options: RulesOptions,
): Violation | null {
  if (!target.name.startsWith(scope)) return null;
  const allowed = allowedWorkspacePackages(area);
  const isOwn = ownPackageName[area.kind] === target.name;
  if (allowed !== 'any' && !isOwn && !allowed.includes(target.name)) {
    const may = allowed.length === 0 ? 'no other workspace package' : `only ${allowed.join(', ')}`;
    return violation(
      'package-direction',
      `${describeArea(area)} may import ${may}; ${importer} imports '${specifier}'. ${directionReason(area)}`,
    );
  }
  if (area.kind === 'core' && isOwn && importer.startsWith('core/src/')) {
    return violation(
      'core-layering',
      `${importer} imports its own package by name ('${specifier}'); inside core/src import the folder's index.ts by a relative path.`,
    );
  }
  const exportsMap = { ...defaultPackageExports, ...options.packageExports };
  const exported = exportsMap[target.name];
  const isExported = exported ? exported.some((key) => matchesExportKey(key, target.subpath)) : !target.subpath.startsWith('./src/');
  if (!isExported) {
    const list = exported ? exported.map((key) => (key === '.' ? target.name : `${target.name}/${key.slice(2)}`)).join(', ') : target.name;
    return violation(
      'no-deep-package-import',
      `'${specifier}' reaches into the internals of ${target.name}; import only what its package.json "exports" offers (${list}).`,
    );
  }
  return null;
}

function directionReason(area: Area): string {
  switch (area.kind) {
    case 'sdk':
      return 'The sdk is the contract: it depends on no other package of ours.';
    case 'admin-ui':
      return 'The admin UI talks to core over HTTP only and shares types through @daicho/sdk.';
    case 'plugin':
    case 'example':
      return 'Plugins and examples are built with the SDK only, exactly as a third party would build them.';
    default:
      return 'core depends on @daicho/sdk only.';
  }
}

function matchesExportKey(key: string, subpath: string): boolean {
  const star = key.indexOf('*');
  if (star === -1) return key === subpath;
  const prefix = key.slice(0, star);
  const suffix = key.slice(star + 1);
  return subpath.length >= prefix.length + suffix.length && subpath.startsWith(prefix) && subpath.endsWith(suffix);
}

function checkRelativeEscape(importer: string, area: Exclude<Area, { kind: 'free' }>, targetPath: string, specifier: string): Violation {
  const targetArea = classifyArea(targetPath);
  // Reaching into a package this area may not depend on at all is a direction problem; reaching
  // into one it may use (the sdk), or into a non-package folder, is a path problem.
  const mayUseTarget = targetArea.kind === 'free' || (targetArea.kind === 'sdk' && area.kind !== 'sdk');
  if (!mayUseTarget) {
    return violation(
      'package-direction',
      `${describeArea(area)} must not depend on ${targetArea.dir}/; ${importer} imports '${specifier}' (${targetPath}). ${directionReason(area)}`,
    );
  }
  const instead = targetArea.kind === 'sdk' ? " Import '@daicho/sdk' instead." : '';
  return violation(
    'no-relative-cross-package',
    `${importer} imports '${specifier}', which leaves ${area.dir}/ for ${targetPath}; cross-package use goes through the package name.${instead}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Layering inside core/src

/** What a core/src folder (or single-file module) is, for the layering table. */
export type CoreLayer = 'kernel' | 'db' | 'http' | 'data' | 'domain' | 'api' | 'runtime' | 'testing' | 'entry';

const kernelUnits = ['errors', 'log', 'config'] as const;
/** Which kernel units a kernel unit may import (config → none, log → config, errors → none). */
const kernelDeps: Record<string, readonly string[]> = { config: [], log: ['config'], errors: [] };

/** The unit (top-level folder, or file stem for a single-file module) of a core/src path. */
export function coreUnitOf(file: string): string | null {
  if (!file.startsWith('core/src/')) return null;
  const rest = file.slice('core/src/'.length);
  const slash = rest.indexOf('/');
  if (slash !== -1) return rest.slice(0, slash);
  const stem = rest.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
  return stem === 'main' || stem === 'index' ? `${stem}.ts` : stem;
}

export function coreLayerOf(unit: string): CoreLayer {
  if ((kernelUnits as readonly string[]).includes(unit)) return 'kernel';
  switch (unit) {
    case 'db':
      return 'db';
    case 'http':
      return 'http';
    case 'storage':
    case 'query':
      return 'data';
    case 'api':
      return 'api';
    case 'runtime':
      return 'runtime';
    case 'testing':
      return 'testing';
    case 'main.ts':
    case 'index.ts':
      return 'entry';
    default:
      return 'domain'; // metadata, records, automation, auth, …, plugins, and any new folder
  }
}

/** Layers each layer may import, besides its own unit (same-folder imports are always free). */
const allowedLayers: Record<Exclude<CoreLayer, 'kernel' | 'entry' | 'testing' | 'runtime'>, readonly CoreLayer[]> = {
  db: ['kernel'],
  http: ['kernel'],
  data: ['db', 'kernel'],
  domain: ['domain', 'data', 'db', 'kernel'],
  api: ['http', 'domain', 'kernel'],
};

const layerWords: Record<CoreLayer, string> = {
  kernel: 'kernel (errors, log, config)',
  db: 'db',
  http: 'http',
  data: 'storage/query',
  domain: 'domains',
  api: 'api',
  runtime: 'runtime',
  testing: 'testing',
  entry: 'entry points',
};

function checkCoreImport(importer: string, targetPath: string, specifier: string): Violation | null {
  const from = coreUnitOf(importer);
  const to = coreUnitOf(targetPath);
  if (from === null || to === null || from === to) return null; // outside core/src, or same folder
  const layering = checkCoreLayering(importer, from, to, specifier);
  if (layering) return layering;
  return checkIndexOnly(importer, to, targetPath, specifier);
}

function checkCoreLayering(importer: string, from: string, to: string, specifier: string): Violation | null {
  const fromLayer = coreLayerOf(from);
  const toLayer = coreLayerOf(to);
  const what = `${importer} imports '${specifier}'`;
  if (fromLayer === 'entry' || fromLayer === 'testing') return null; // main.ts, index.ts, testing → anything
  // Unit tests beside the code (style.md §11) are test code, like test/: they may use the testing
  // kit and boot the runtime. They still go through a folder's index.ts and add no graph edges.
  if (isTestFile(importer)) return null;
  if (toLayer === 'entry') {
    return violation('core-composition-root', `${what}: core/src/${to} is an entry point; nothing inside core/src imports it.`);
  }
  if (fromLayer === 'runtime') {
    if (toLayer === 'testing') {
      return violation('core-composition-root', `${what}: runtime is production code and must not import the testing kit.`);
    }
    return null;
  }
  if (toLayer === 'runtime' || toLayer === 'testing' || toLayer === 'api') {
    return violation(
      'core-composition-root',
      `${what}: core/src/${to} is part of the composition root; only runtime, testing, main.ts and index.ts import ${to}.`,
    );
  }
  if (fromLayer === 'kernel') {
    const allowed = kernelDeps[from] ?? [];
    if (toLayer === 'kernel' && allowed.includes(to)) return null;
    const may = allowed.length === 0 ? 'nothing else in core (only @daicho/sdk)' : allowed.map((unit) => `core/src/${unit}`).join(', ');
    return violation('core-layering', `${what}: core/src/${from} is a kernel module and may import ${may}.`);
  }
  if (fromLayer === 'domain' && from !== 'plugins' && to === 'plugins') {
    return violation(
      'core-no-domain-imports-plugins',
      `${what}: no domain imports the plugin host; expose an extension point (a registry) in core/src/${from} and let plugins fill it.`,
    );
  }
  const allowed = allowedLayers[fromLayer];
  if (allowed.includes(toLayer)) return null;
  const hint = fromLayer === 'domain' && toLayer === 'http' ? ' Domains do not know about HTTP: routers live in api/.' : '';
  return violation(
    'core-layering',
    `${what}: core/src/${from} (${layerWords[fromLayer]}) may import only ${allowed.map((layer) => layerWords[layer]).join(', ')}, not ${layerWords[toLayer]} (core/src/${to}).${hint}`,
  );
}

function checkIndexOnly(importer: string, to: string, targetPath: string, specifier: string): Violation | null {
  const rest = targetPath.slice(`core/src/${to}`.length);
  if (rest === '' || /^\/index(\.[cm]?[jt]sx?)?$/.test(rest)) return null; // the folder's index.ts
  if (!rest.startsWith('/')) return null; // a single-file module (core/src/config.ts)
  return violation(
    'core-index-only',
    `${importer} imports '${specifier}', a file inside core/src/${to}/; other folders use only its index.ts ('${relativeSpecifier(importer, `core/src/${to}/index.ts`)}').`,
  );
}

function relativeSpecifier(importer: string, target: string): string {
  const relative = path.posix.relative(path.posix.dirname(importer), target);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

// ---------------------------------------------------------------------------------------------
// Cycles between core folders

/** The core/src unit edge an import creates (`auth → workspaces`), or null. Same-unit imports make none. */
export function coreEdgeOf(importer: string, target: ImportTarget): { from: string; to: string } | null {
  if (target.kind !== 'file') return null;
  if (isTestFile(importer)) return null;
  const from = coreUnitOf(toPosix(importer));
  const to = coreUnitOf(target.path);
  if (from === null || to === null || from === to) return null;
  if (coreLayerOf(from) === 'entry' || coreLayerOf(to) === 'entry') return null;
  return { from, to };
}

export function cycleViolation(cycle: readonly string[]): Violation {
  return violation(
    'core-domain-cycle',
    `core folders form a cycle: ${cycle.join(' → ')}; break it with an extension point owned by the lower folder.`,
  );
}

// ---------------------------------------------------------------------------------------------

function violation(rule: RuleName, detail: string): Violation {
  return { rule, detail, message: `${rule}: ${detail}` };
}

/** `*.test.ts`, `*.spec.tsx`, …: test code, which may import more than the code it tests. */
export function isTestFile(file: string): boolean {
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(file);
}

function isInside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(`${dir}/`);
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/').replace(/^\.\//, '');
}
