import filterSchema from '../schemas/filter.schema.json' with { type: 'json' };
import objectSchema from '../schemas/object.schema.json' with { type: 'json' };

/** The object meta-schema (JSON Schema 2020-12) that every object definition must satisfy. */
export const objectMetaSchema: Readonly<Record<string, unknown>> = objectSchema;

/** The filter language's structure (JSON Schema 2020-12); semantic checks happen in core. */
export const filterMetaSchema: Readonly<Record<string, unknown>> = filterSchema;
