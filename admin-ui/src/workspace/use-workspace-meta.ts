import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { useQuery } from '@tanstack/react-query';
import { fetchAccess, fetchObjects, type AccessSummary, type ObjectAccess } from '../api/index.ts';

/** The definitions the user may see, and what they may do with each. */
export interface WorkspaceMeta {
  objects: ObjectDefinition[];
  access: AccessSummary;
}

/** Loads the definitions and access once per session; both change rarely. */
export function useWorkspaceMeta() {
  return useQuery({
    queryKey: ['workspace-meta'],
    queryFn: async ({ signal }): Promise<WorkspaceMeta> => {
      const [objects, access] = await Promise.all([fetchObjects(signal), fetchAccess(signal)]);
      return { objects, access };
    },
    staleTime: 60_000,
  });
}

/** The objects the user may read, in definition order: what the navigation lists. */
export function readableObjects(meta: WorkspaceMeta): ObjectDefinition[] {
  return meta.objects.filter((object) => meta.access.objects[object.name]?.actions.includes('read') === true);
}

/** Types computed by the platform: shown, never edited. */
const computedTypes = new Set<FieldDefinition['type']>(['autoNumber', 'formula', 'rollup']);

/** How the user may treat one field: absent, shown only, or editable. */
export function fieldAccessOf(field: FieldDefinition, access: ObjectAccess | undefined): 'none' | 'read' | 'edit' {
  const granted = access?.fields[field.name] ?? (access?.actions.includes('update') === true ? 'edit' : access?.actions.includes('read') === true ? 'read' : 'none');
  if (granted === 'edit' && (computedTypes.has(field.type) || field.readOnly === true)) return 'read';
  return granted;
}

/** Whether the user may do `action` on the object. */
export function may(access: ObjectAccess | undefined, action: 'create' | 'read' | 'update' | 'delete' | 'export'): boolean {
  return access?.actions.includes(action) === true;
}
