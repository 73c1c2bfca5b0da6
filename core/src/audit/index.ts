// Audit: an append-only, hash-chained trail of what happened in each workspace (record and
// definition changes, and room for sign-ins, permissions, exports and plugins), with its sealer,
// verifier and read functions. Extension point: the field-visibility predicate of the readers.
export { auditInsertFrom, appendAuditEvent, appendAuditEvents, auditParameters } from './append-audit-events.ts';
export type { AuditInsertSpec } from './append-audit-events.ts';
export { createAuditSealer, sealAuditTrail, verifyAuditTrail } from './audit-chain.ts';
export type { AuditSealer, AuditVerification, SealOptions } from './audit-chain.ts';
export { auditKinds, isAuditKind } from './audit-event.ts';
export type { AuditContext, AuditDb, AuditEvent, AuditEventInput, AuditKind, AuditWriter, FieldChange, FieldChanges } from './audit-event.ts';
export { DEFAULT_AUDIT_PAGE_SIZE, listAuditEvents, listRecordHistory, MAX_AUDIT_PAGE_SIZE } from './read-audit-events.ts';
export type { AuditPage, AuditQuery, AuditReadOptions, CanReadField } from './read-audit-events.ts';
