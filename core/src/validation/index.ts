// JSON Schema validation: the single factory for Ajv instances, with the platform's safety settings.
export { createPlatformAjv } from './platform-ajv.ts';
export type { CreatePlatformAjvOptions, SafeFormat } from './platform-ajv.ts';
