import { createHmac } from 'node:crypto';
import { systemFieldNames, type CreateRecordAction, type SendEmailAction, type UpdateFieldsAction, type WaitAction, type WebhookAction } from '@daicho/sdk';
import { errors, type InputProblem } from '../errors/index.ts';
import { createRecord, updateRecord } from '../records/index.ts';
import type { ActionCheckScope, ActionRegistry, DryRunContext, RunRecordState, WorkflowActionType } from './action-registry.ts';
import { mergeFieldsOf, referencedFields, renderTemplate, resolveValues } from './merge-values.ts';

// The built-in actions, registered through the same registry that plugins use.

function fieldsOf(scope: Pick<ActionCheckScope, 'metadata'>, objectName: string | undefined): Set<string> | undefined {
  const object = objectName === undefined ? undefined : scope.metadata.objects.get(objectName)?.body;
  return object && new Set(object.fields.map((field) => field.name));
}

function checkReferences(scope: ActionCheckScope, fields: string[], path: string): InputProblem[] {
  if (fields.length === 0) return [];
  const known = fieldsOf(scope, scope.objectName);
  if (!known) return [{ path, code: 'noRecord', message: 'refers to the triggering record, but a scheduled workflow has none' }];
  return fields.filter((field) => !known.has(field) && !(systemFieldNames as readonly string[]).includes(field))
    .map((field) => ({ path, code: 'unknownField', message: `${scope.objectName} has no field "${field}"` }));
}

function checkWritable(scope: ActionCheckScope, objectName: string | undefined, values: Record<string, unknown>, path: string): InputProblem[] {
  const known = fieldsOf(scope, objectName);
  if (!known) return [];
  return Object.keys(values).filter((field) => !known.has(field)).map((field) => ({ path: `${path}/${field}`, code: 'unknownField', message: `${objectName} has no field "${field}"` }));
}

function requireRecord(state: RunRecordState): { objectName: string; recordId: string } {
  if (!state.objectName || !state.recordId) throw errors.conflict('This action needs a record, and the run has none');
  return { objectName: state.objectName, recordId: state.recordId };
}

const updateFields: WorkflowActionType<UpdateFieldsAction> = {
  type: 'updateFields',
  check(action, scope) {
    if (!scope.objectName) return [{ path: '/type', code: 'noRecord', message: 'updates the triggering record, but a scheduled workflow has none' }];
    return [...checkWritable(scope, scope.objectName, action.values, '/values'), ...checkReferences(scope, referencedFields(action.values), '/values')];
  },
  async execute(action, context) {
    const { objectName, recordId } = requireRecord(context);
    const values = resolveValues(action.values, context.record);
    const updated = await updateRecord(context.records, context.actor, objectName, recordId, values, { ifMatch: '*' });
    return { output: { recordId, version: updated.version, values } };
  },
  describe(action, context) {
    const values = resolveValues(action.values, context.record);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const [field, after] of Object.entries(values)) {
      const before = context.record?.[field] ?? null;
      if (JSON.stringify(before) !== JSON.stringify(after)) changes[field] = { before, after };
    }
    return { object: context.objectName, recordId: context.recordId, changes };
  },
};

const createRecordAction: WorkflowActionType<CreateRecordAction> = {
  type: 'createRecord',
  check(action, scope) {
    if (!scope.metadata.objects.has(action.object)) return [{ path: '/object', code: 'unknownObject', message: `there is no object "${action.object}"` }];
    return [...checkWritable(scope, action.object, action.values, '/values'), ...checkReferences(scope, referencedFields(action.values), '/values')];
  },
  async execute(action, context) {
    // Runs in the step's transaction: the record exists if and only if the step completed.
    const created = await createRecord(context.records, context.actor, action.object, resolveValues(action.values, context.record));
    return { output: { object: action.object, recordId: (created.body as { id: string }).id } };
  },
  describe: (action, context) => ({ object: action.object, values: resolveValues(action.values, context.record) }),
};

async function recipientOf(action: SendEmailAction, state: RunRecordState & { workspaceId: string }, lookupOwner: (ownerId: string) => Promise<string | undefined>): Promise<string> {
  const to = action.to;
  if ('address' in to) return to.address;
  if ('field' in to) {
    const address = state.record?.[to.field];
    if (typeof address !== 'string' || address === '') throw errors.conflict(`The record has no e-mail address in ${to.field}`);
    return address;
  }
  const ownerId = state.record?.ownerId;
  const address = typeof ownerId === 'string' ? await lookupOwner(ownerId) : undefined;
  if (!address) throw errors.conflict('The record has no owner with an e-mail address');
  return address;
}

const sendEmail: WorkflowActionType<SendEmailAction> = {
  type: 'sendEmail',
  check(action, scope) {
    const fields = [...mergeFieldsOf(action.subject), ...mergeFieldsOf(action.body), ...('field' in action.to ? [action.to.field] : [])];
    const problems = checkReferences(scope, fields, '/to');
    if ('owner' in action.to && !scope.objectName) problems.push({ path: '/to', code: 'noRecord', message: 'a scheduled workflow has no record, hence no owner' });
    return problems;
  },
  async execute(action, context) {
    if (!context.mailer) throw errors.conflict('No mail server is configured (DAICHO_SMTP_URL)');
    const owner = async (ownerId: string) => {
      const row = await context.db.withSchema('daicho').selectFrom('user').select('email').where('id', '=', ownerId).where('workspace_id', '=', context.workspaceId).executeTakeFirst();
      return row?.email as string | undefined;
    };
    const to = await recipientOf(action, context, owner);
    const sent = await context.mailer.send({
      to,
      subject: renderTemplate(action.subject, context.record),
      text: renderTemplate(action.body, context.record),
      messageId: `<${context.runId}.${context.stepIndex}@workflow.daicho>`,
      ...(action.language ? { language: action.language } : {}),
    });
    return { output: { to, messageId: sent.messageId } };
  },
  describe: (action, context: DryRunContext) => ({
    to: 'address' in action.to ? action.to.address : 'field' in action.to ? (context.record?.[action.to.field] ?? null) : { owner: context.record?.ownerId ?? null },
    subject: renderTemplate(action.subject, context.record),
    body: renderTemplate(action.body, context.record),
    language: action.language ?? null,
  }),
};

/** The signature header of a webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const webhook: WorkflowActionType<WebhookAction> = {
  type: 'webhook',
  async execute(action, context) {
    const body = JSON.stringify({ workflow: context.workflow.name, runId: context.runId, step: context.stepIndex, object: context.objectName, recordId: context.recordId, record: context.record, previous: context.previous });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': context.idempotencyKey };
    if (action.secret !== undefined) {
      const secret = typeof action.secret === 'string' ? action.secret : context.openSecret(action.secret.sealed);
      if (secret === undefined) throw errors.conflict('The webhook secret cannot be opened with this installation\'s secret key; save the workflow with the secret again');
      headers['x-daicho-signature'] = signWebhook(secret, Math.floor(Date.now() / 1000), body);
    }
    const response = await fetch(action.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000), redirect: 'manual' });
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) throw new Error(`the webhook answered ${response.status}`);
    return { output: { status: response.status } };
  },
  describe: (action) => ({ url: action.url, signed: action.secret !== undefined }),
};

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds of an ISO 8601 duration of days, hours, minutes and seconds. */
export function durationMs(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match) throw new TypeError(`not a duration: ${duration}`);
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  return (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

const wait: WorkflowActionType<WaitAction> = {
  type: 'wait',
  execute(action) {
    return Promise.resolve({ waitUntil: new Date(Date.now() + durationMs(action.duration)), output: { duration: action.duration } });
  },
  describe: (action, context) => ({ duration: action.duration, until: new Date(context.now.getTime() + durationMs(action.duration)).toISOString() }),
};

/** Registers the built-in actions; returns a disposer for all of them. */
export function registerBuiltInActions(registry: ActionRegistry): () => void {
  const disposers = [
    registry.register(updateFields),
    registry.register(createRecordAction),
    registry.register(sendEmail),
    registry.register(webhook),
    registry.register(wait),
  ];
  return () => disposers.forEach((dispose) => dispose());
}

