import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { errors } from '../errors/index.ts';
import type { DdlStep } from '../storage/index.ts';
import { applyTableChanges } from '../storage/index.ts';
import { findObjectRow, listObjectRows } from './definitions.repository.ts';
import { validateObjectDocument } from './meta-schema.ts';
import { commitObjectChange, finish, invalid, runInTransaction, type MetadataActor, type MetadataDeps, type ObjectChangeResult } from './object-definitions.service.ts';

type Db = Parameters<typeof listObjectRows>[0];

/** The portable form of a workspace's definitions, to move a configuration between installs. */
export interface DefinitionsPackage {
  format: 'daicho.definitions';
  formatVersion: 1;
  exportedAt: string;
  objects: ObjectDefinition[];
}

/** Exports every live object definition, physical names included, so an import rebuilds identical tables. */
export async function exportDefinitions(deps: MetadataDeps, actor: MetadataActor): Promise<DefinitionsPackage> {
  const rows = await listObjectRows(deps.em().getKysely() as Db, actor.workspaceId);
  return { format: 'daicho.definitions', formatVersion: 1, exportedAt: new Date().toISOString(), objects: rows.map((row) => row.body) };
}

function assertPackage(input: unknown): asserts input is DefinitionsPackage {
  const candidate = input as Partial<DefinitionsPackage> | null;
  if (!candidate || typeof candidate !== 'object' || candidate.format !== 'daicho.definitions' || candidate.formatVersion !== 1 || !Array.isArray(candidate.objects)) {
    invalid([{ path: '', code: 'format', message: 'Expected a package with format "daicho.definitions", formatVersion 1 and an objects array' }]);
  }
  const names = new Set<string>();
  candidate.objects.forEach((object, index) => {
    const problems = validateObjectDocument(object).map((problem) => ({ ...problem, path: `/objects/${index}${problem.path}` }));
    if (problems.length > 0) invalid(problems);
    if (names.has((object as ObjectDefinition).name)) invalid([{ path: `/objects/${index}/name`, code: 'duplicateName', message: 'The package defines this object twice' }]);
    names.add((object as ObjectDefinition).name);
  });
}

/**
 * Imports a package in one transaction: objects new to the workspace are created with the
 * package's ids and physical names (so tables come out identical), existing ones are updated
 * like a replace. Lookups may point at any object of the package, in any order.
 */
export async function importDefinitions(deps: MetadataDeps, actor: MetadataActor, input: unknown): Promise<ObjectChangeResult[]> {
  assertPackage(input);
  const pendingObjects = new Map(input.objects.map((object) => [object.name, object]));
  const results = await runInTransaction(deps, async (db) => {
    const deferredConstraints: DdlStep[] = [];
    const committed = [];
    for (const object of input.objects) {
      const previous = await findObjectRow(db, actor.workspaceId, object.name, { forUpdate: true });
      if (previous?.deletedAt) throw errors.conflict(`An object named "${object.name}" is deleted in this workspace; restore or purge it first`, { name: object.name });
      committed.push(await commitObjectChange(deps, actor, db, previous
        ? { previous, input: { ...object, id: previous.body.id, table: previous.body.table, fields: object.fields.map(({ id: _id, column: _column, ...field }) => field as FieldDefinition) }, change: 'imported', pendingObjects, deferredConstraints }
        : { previous: undefined, input: object, change: 'imported', trustIds: true, pendingObjects, deferredConstraints }));
    }
    await applyTableChanges(db, deferredConstraints);
    return committed;
  });
  const finished: ObjectChangeResult[] = [];
  for (const committed of results) finished.push(await finish(deps, actor, committed));
  return finished;
}

