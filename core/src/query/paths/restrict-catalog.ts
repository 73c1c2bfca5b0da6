// Field-level read permissions for queries: a view of a catalog without the fields a user may
// not read. Filters, sorts and formulas validated against it treat those fields as unknown on
// every path, lookups included (test plan row 46).

import type { QueryCatalog, QueryField, QueryObject } from '../catalog.ts';

/** Whether the caller may read a field of an object; `id` should stay readable. */
export type FieldReadCheck = (object: QueryObject, field: QueryField) => boolean;

/**
 * A catalog that hides the fields `canRead` refuses. Validate filters and sorts from users
 * against it: a hidden field is reported as unknown, however it is reached.
 * @example
 * const visible = restrictCatalog(catalog, (object, field) => permissions.canRead(object.name, field.name));
 * const filter = validateFilter(input, 'deal', visible);
 */
export function restrictCatalog(catalog: QueryCatalog, canRead: FieldReadCheck): QueryCatalog {
  const restricted = new Map<string, QueryObject | undefined>();
  return {
    object(name) {
      if (!restricted.has(name)) {
        const object = catalog.object(name);
        const fields = object && new Map([...object.fields].filter(([, field]) => canRead(object, field)));
        restricted.set(name, object && fields && { ...object, fields });
      }
      return restricted.get(name);
    },
  };
}
