import type { BusinessCalendarDefinition, EscalationRuleDefinition, ObjectDefinition, WorkflowDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// Automation timers end to end: date-relative workflow triggers and escalation rules saved through
// the API, planned from the sealed audit trail (and over existing records when saved), and fired
// by the timer poller given a fake "now", as workflow runs on pg-boss workers.

const contract: ObjectDefinition = {
  name: 'contract',
  labels: { en: 'Contract' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'status', type: 'picklist', labels: { en: 'Status' }, values: ['active', 'closed'].map((value) => ({ value, labels: { en: value } })) },
    { name: 'endDate', type: 'date', labels: { en: 'End date' } },
    { name: 'note', type: 'text', labels: { en: 'Note' } },
  ],
};
const supportCase: ObjectDefinition = {
  name: 'case',
  labels: { en: 'Case' },
  titleField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'status', type: 'picklist', labels: { en: 'Status' }, values: ['open', 'waitingOnCustomer', 'closed'].map((value) => ({ value, labels: { en: value } })) },
    { name: 'openedAt', type: 'datetime', labels: { en: 'Opened' } },
    { name: 'priority', type: 'text', labels: { en: 'Priority' } },
    { name: 'escalated', type: 'text', labels: { en: 'Escalated' } },
    { name: 'slaDue', type: 'datetime', labels: { en: 'SLA due' } },
  ],
};
/** Mon–Fri 09:00–18:00 in Tokyo, closed on Japanese holidays and 29 Dec – 3 Jan (年末年始, the default). */
const support: BusinessCalendarDefinition = {
  name: 'support',
  labels: { en: 'Support' },
  weeklyHours: Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => [day, [{ start: '09:00', end: '18:00' }]])),
};

let t: TestDaicho;

/** Seals, dispatches and backfills until `check` holds (the timers do the same on their own). */
async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await t.auditSealer.sealPending();
    await t.automation.tick();
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Timer { id: string; slot: number; dueAt: string | null; state: string; runId: string | null; kind: string }
const timersOf = async (definition: string, recordId: string) => ((await t.api.get(`/api/v1/automation/timers?definition=${definition}&record=${recordId}`)).body.timers as Timer[]).sort((a, b) => a.slot - b.slot);
const runsOf = async (name: string) => (await t.api.get(`/api/v1/automation/runs?workflow=${name}`)).body.runs as Array<{ id: string; status: string; recordId: string; trigger: string; input: { slot: number; dueAt: string } }>;
const patch = async (object: string, id: string, values: Record<string, unknown>) => t.api.patch(`/api/v1/records/${object}/${id}`, values, { headers: { 'if-match': '*' } });
const read = async (object: string, id: string) => (await t.api.get(`/api/v1/records/${object}/${id}`)).body as Record<string, unknown>;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/**
 * Fires what is due at a fake "now" until something fires: a timer whose row the backfill or the
 * change feed holds at that moment is skipped (`skip locked`) and taken by the next round.
 */
async function fireAt(now: Date, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fired = await t.automation.fireDueTimers(now);
    if (fired > 0 || Date.now() > deadline) return fired;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** 09:00 in Tokyo on a day, as the API writes instants. */
const nineInTokyo = (date: string) => `${date}T00:00:00.000Z`;

beforeAll(async () => {
  t = await startTestDaicho({ serverUrl: inject('databaseUrl'), env: { DAICHO_WORKFLOW_DISPATCH_INTERVAL: '100', DAICHO_AUTOMATION_TIMER_INTERVAL: '100' } });
  for (const object of [contract, supportCase]) expect((await t.api.post('/api/v1/meta/objects', object)).status).toBe(201);
  expect((await t.api.put('/api/v1/meta/business-calendars/support', support)).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('date-relative triggers', () => {
  const renewal: WorkflowDefinition = {
    name: 'renewal_reminders',
    labels: { en: 'Renewal reminders' },
    trigger: { type: 'dateRelative', object: 'contract', field: 'endDate', offsets: [{ amount: -120, unit: 'days' }, { amount: -90, unit: 'days' }, { amount: 0, unit: 'days' }], timeOfDay: '09:00' },
    condition: { field: 'status', op: 'eq', value: 'active' },
    actions: [{ type: 'updateFields', values: { note: 'reminded' } }],
  };

  it('refuses a field that is not a date and business days without a calendar', async () => {
    const response = await t.api.put('/api/v1/meta/workflows/bad_dates', {
      ...renewal, name: 'bad_dates', trigger: { ...renewal.trigger, field: 'title', offsets: [{ amount: 1, unit: 'businessDays' }] },
    });
    expect(response.status).toBe(422);
    expect((response.body.error.details.problems as Array<{ path: string; code: string }>).map((problem) => problem.code).sort()).toEqual(['calendarRequired', 'fieldType']);
  });

  it('plans three offsets, re-plans them when the date changes, cancels them when the record stops matching, and fires on the day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const endDate = addDays(today, 200);
    // A contract that exists before the workflow: planned by the backfill.
    const early = (await t.api.post('/api/v1/records/contract', { title: 'Early', status: 'active', endDate })).body as { id: string };
    expect((await t.api.put('/api/v1/meta/workflows/renewal_reminders', renewal)).status).toBe(201);
    const planned = await eventually(async () => {
      const timers = await timersOf('renewal_reminders', early.id);
      return timers.length === 3 && timers;
    });
    expect(planned.map((timer) => [timer.dueAt, timer.state])).toEqual([[nineInTokyo(addDays(endDate, -120)), 'pending'], [nineInTokyo(addDays(endDate, -90)), 'pending'], [nineInTokyo(endDate), 'pending']]);

    const record = (await t.api.post('/api/v1/records/contract', { title: 'Tokyo office lease', status: 'active', endDate })).body as { id: string };
    await eventually(async () => (await timersOf('renewal_reminders', record.id)).length === 3);
    // The date moves: the same timers, new due times.
    const moved = addDays(endDate, 30);
    expect((await patch('contract', record.id, { endDate: moved })).status).toBe(200);
    const replanned = await eventually(async () => {
      const timers = await timersOf('renewal_reminders', record.id);
      return timers[2]?.dueAt === nineInTokyo(moved) && timers;
    });
    expect(replanned.map((timer) => timer.dueAt)).toEqual([nineInTokyo(addDays(moved, -120)), nineInTokyo(addDays(moved, -90)), nineInTokyo(moved)]);
    expect(replanned.map((timer) => timer.state)).toEqual(['pending', 'pending', 'pending']);
    // No longer matching: cancelled; matching again, with the first offset already past: it does not fire.
    expect((await patch('contract', record.id, { status: 'closed' })).status).toBe(200);
    await eventually(async () => (await timersOf('renewal_reminders', record.id)).every((timer) => timer.state === 'cancelled'));
    const soon = addDays(today, 100);
    expect((await patch('contract', record.id, { status: 'active', endDate: soon })).status).toBe(200);
    const reopened = await eventually(async () => {
      const timers = await timersOf('renewal_reminders', record.id);
      return timers[2]?.state === 'pending' && timers[2].dueAt === nineInTokyo(soon) && timers;
    });
    expect(reopened.map((timer) => timer.state)).toEqual(['cancelled', 'pending', 'pending']);

    // The fake clock moves to just after the −90 days offset: that run starts, once.
    const due = new Date(Date.parse(nineInTokyo(addDays(soon, -90))) + 1000);
    expect(await fireAt(due)).toBeGreaterThanOrEqual(1);
    expect(await t.automation.fireDueTimers(due)).toBe(0);
    const [run] = await eventually(async () => {
      const runs = (await runsOf('renewal_reminders')).filter((candidate) => candidate.recordId === record.id);
      return runs.length === 1 && runs[0]!.status === 'completed' && runs;
    });
    expect(run).toMatchObject({ trigger: 'dateRelative', input: { slot: 1, dueAt: nineInTokyo(addDays(soon, -90)) } });
    expect((await read('contract', record.id)).note).toBe('reminded');
    const fired = await timersOf('renewal_reminders', record.id);
    expect(fired[1]).toMatchObject({ state: 'fired', runId: run!.id });
    // The run's own change re-plans the record with the same data: what fired stays fired.
    await eventually(async () => {
      await t.auditSealer.sealPending();
      return (await timersOf('renewal_reminders', record.id))[1]!.state === 'fired';
    });
    expect((await timersOf('renewal_reminders', record.id)).map((timer) => timer.state)).toEqual(['cancelled', 'fired', 'pending']);

    // Disabled: every pending timer is cancelled; deleted records lose theirs too.
    expect((await t.api.post('/api/v1/meta/workflows/renewal_reminders/disable')).status).toBe(200);
    expect((await timersOf('renewal_reminders', early.id)).every((timer) => timer.state === 'cancelled')).toBe(true);
  });
});

describe('yearly date-relative triggers', () => {
  it('fires on the anniversary and is planned again for the next year', async () => {
    const soon = addDays(new Date().toISOString().slice(0, 10), 10);
    const [year, monthDay] = [Number(soon.slice(0, 4)), soon.slice(5)];
    // The contract exists (and its creation has gone through the change feed) before the workflow:
    // the backfill plans it. With a fake clock a later re-plan at the real time would plan this
    // year's anniversary again; at real times the fired one is in the past and next year's is planned.
    const record = (await t.api.post('/api/v1/records/contract', { title: 'Anniversary', status: 'active', endDate: `1990-${monthDay}` })).body as { id: string };
    await t.auditSealer.sealPending();
    await t.automation.tick();
    expect((await t.api.put('/api/v1/meta/workflows/contract_anniversary', {
      name: 'contract_anniversary', labels: { en: 'Contract anniversary' },
      trigger: { type: 'dateRelative', object: 'contract', field: 'endDate', offsets: [{ amount: 0, unit: 'days' }], recurrence: 'yearly' },
      condition: { field: 'title', op: 'eq', value: 'Anniversary' },
      actions: [{ type: 'updateFields', values: { note: 'happy anniversary' } }],
    })).status).toBe(201);
    const [timer] = await eventually(async () => {
      const timers = await timersOf('contract_anniversary', record.id);
      return timers.length === 1 && timers;
    });
    expect(timer).toMatchObject({ state: 'pending', dueAt: nineInTokyo(`${year}-${monthDay}`) });
    expect(await fireAt(new Date(Date.parse(timer!.dueAt!) + 1000))).toBeGreaterThanOrEqual(1);
    const [next] = await timersOf('contract_anniversary', record.id);
    expect(next).toMatchObject({ state: 'pending', dueAt: nineInTokyo(`${year + 1}-${monthDay}`), runId: expect.any(String) });
    await eventually(async () => (await read('contract', record.id)).note === 'happy anniversary');
    expect((await t.api.post('/api/v1/meta/workflows/contract_anniversary/disable')).status).toBe(200);
  });
});

describe('escalation rules', () => {
  const rule: EscalationRuleDefinition = {
    name: 'case_response',
    labels: { en: 'Case response', ja: '一次対応' },
    object: 'case',
    condition: { field: 'status', op: 'ne', value: 'closed' },
    calendar: 'support',
    from: { field: 'openedAt' },
    pause: { field: 'status', values: ['waitingOnCustomer'] },
    dueField: 'slaDue',
    steps: [
      { name: 'raise priority', after: { amount: 2, unit: 'businessHours' }, actions: [{ type: 'updateFields', values: { priority: 'high' } }] },
      { name: 'escalate', after: { amount: 1, unit: 'businessDays' }, actions: [{ type: 'updateFields', values: { escalated: 'yes' } }] },
    ],
  };
  // Opened Friday 27 Dec 2030, 17:00 in Tokyo: one open hour that day, then closed for the weekend and
  // 年末年始 until Monday 6 Jan 2031. Two hours are due at 10:00 on the 6th, eight at 16:00.
  const openedAt = '2030-12-27T08:00:00.000Z';
  const firstDue = '2031-01-06T01:00:00.000Z';
  const lastDue = '2031-01-06T07:00:00.000Z';

  it('refuses unknown calendars, due fields that are not datetimes and steps out of order', async () => {
    const response = await t.api.put('/api/v1/meta/escalation-rules/broken', {
      ...rule, name: 'broken', calendar: 'nope', dueField: 'priority', steps: [...rule.steps].reverse(),
    });
    expect(response.status).toBe(422);
    expect((response.body.error.details.problems as Array<{ path: string }>).map((problem) => problem.path).sort()).toEqual(['/calendar', '/dueField', '/steps/1/after']);
    const user = await t.createUserSession();
    expect((await t.api.put('/api/v1/meta/escalation-rules/case_response', rule, { token: user.token })).status).toBe(403);
  });

  it('plans two steps across 年末年始, sets the SLA due field, pauses, resumes, fires with a fake clock and cancels when closed', async () => {
    expect((await t.api.put('/api/v1/meta/escalation-rules/case_response', rule)).status).toBe(201);
    expect((await t.api.get('/api/v1/meta/escalation-rules/case_response')).body).toMatchObject({ version: 1, definition: { name: 'case_response' } });
    // The calendar the rule counts on cannot be deleted under it.
    const calendarDelete = await t.api.delete('/api/v1/meta/business-calendars/support');
    expect(calendarDelete.status).toBe(409);
    expect(calendarDelete.body.error.message).toContain('escalation rule "case_response"');
    const record = (await t.api.post('/api/v1/records/case', { title: 'Printer on fire', status: 'open', openedAt })).body as { id: string };
    const planned = await eventually(async () => {
      const timers = await timersOf('case_response', record.id);
      return timers.length === 2 && Boolean((await read('case', record.id)).slaDue) && timers;
    });
    expect(planned.map((timer) => [timer.kind, timer.dueAt, timer.state])).toEqual([['escalationStep', firstDue, 'pending'], ['escalationStep', lastDue, 'pending']]);
    expect((await read('case', record.id)).slaDue).toBe(lastDue);

    const dryRun = await t.api.post('/api/v1/meta/escalation-rules/case_response/dry-run', { recordId: record.id });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ conditionHolds: true, paused: false, steps: [{ index: 0, dueAt: firstDue, state: 'pending' }, { index: 1, dueAt: lastDue, state: 'pending' }] });
    expect(dryRun.body.steps[0].actions[0].wouldDo).toBeTruthy();

    // Waiting on the customer: the clock stops, the due field empties; back to open: the same due times.
    expect((await patch('case', record.id, { status: 'waitingOnCustomer' })).status).toBe(200);
    await eventually(async () => (await timersOf('case_response', record.id)).every((timer) => timer.state === 'paused' && timer.dueAt === null) && (await read('case', record.id)).slaDue === null);
    expect((await patch('case', record.id, { status: 'open' })).status).toBe(200);
    const resumed = await eventually(async () => {
      const timers = await timersOf('case_response', record.id);
      return timers.every((timer) => timer.state === 'pending') && (await read('case', record.id)).slaDue === lastDue && timers;
    });
    expect(resumed.map((timer) => timer.dueAt)).toEqual([firstDue, lastDue]);

    // At 10:00:01 on 6 Jan 2031 (fake clock) the first step runs, as a workflow run of the rule.
    expect(await fireAt(new Date(Date.parse(firstDue) + 1000))).toBeGreaterThanOrEqual(1);
    const [run] = await eventually(async () => {
      const runs = await runsOf('case_response');
      return runs.length === 1 && runs[0]!.status === 'completed' && runs;
    });
    expect(run).toMatchObject({ trigger: 'escalation', recordId: record.id, input: { slot: 0, dueAt: firstDue } });
    expect((await t.api.get(`/api/v1/automation/runs/${run!.id}`)).body.steps).toEqual([expect.objectContaining({ type: 'updateFields', status: 'completed' })]);
    expect((await read('case', record.id)).priority).toBe('high');
    // The step's own change re-plans the record: step 1 stays fired, step 2 pending.
    await eventually(async () => {
      const timers = await timersOf('case_response', record.id);
      return timers[0]!.state === 'fired' && timers[1]!.state === 'pending';
    });

    // Closed: out of the entry condition, the last step is cancelled and the due field cleared.
    expect((await patch('case', record.id, { status: 'closed' })).status).toBe(200);
    await eventually(async () => (await timersOf('case_response', record.id))[1]!.state === 'cancelled' && (await read('case', record.id)).slaDue === null);
    await t.automation.fireDueTimers(new Date(Date.parse(lastDue) + 1000));
    expect(await runsOf('case_response')).toHaveLength(1);
  });

  it('measures the age from when a status was entered, on a calendar always open', async () => {
    const allDay = [{ start: '00:00', end: '24:00' }];
    const always = { name: 'always', labels: { en: 'Always' }, closedOnJapaneseHolidays: false, yearEndClosure: false, weeklyHours: Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, allDay])) };
    expect((await t.api.put('/api/v1/meta/business-calendars/always', always)).status).toBe(201);
    expect((await t.api.put('/api/v1/meta/escalation-rules/waiting_too_long', {
      name: 'waiting_too_long', labels: { en: 'Waiting too long' }, object: 'case', calendar: 'always',
      condition: { field: 'status', op: 'eq', value: 'waitingOnCustomer' }, from: { statusEntered: 'status' },
      steps: [{ after: { amount: 30, unit: 'businessMinutes' }, actions: [{ type: 'updateFields', values: { escalated: 'chase the customer' } }] }],
    })).status).toBe(201);
    const record = (await t.api.post('/api/v1/records/case', { title: 'Waiting', status: 'open' })).body as { id: string };
    const before = Date.now();
    expect((await patch('case', record.id, { status: 'waitingOnCustomer' })).status).toBe(200);
    const after = Date.now();
    const [timer] = await eventually(async () => {
      const timers = await timersOf('waiting_too_long', record.id);
      return timers.length === 1 && timers;
    });
    // Due 30 minutes after the change entered the status (the audit event's time).
    expect(Date.parse(timer!.dueAt!)).toBeGreaterThanOrEqual(before + 30 * 60_000 - 1000);
    expect(Date.parse(timer!.dueAt!)).toBeLessThanOrEqual(after + 30 * 60_000 + 1000);
    expect(await fireAt(new Date(Date.parse(timer!.dueAt!) + 1000))).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await read('case', record.id)).escalated === 'chase the customer');
    expect((await t.api.delete('/api/v1/meta/escalation-rules/waiting_too_long')).status).toBe(204);
  });

  it('is planned over existing records when enabled, cancelled when disabled, and keeps versions', async () => {
    const record = (await t.api.post('/api/v1/records/case', { title: 'Existing', status: 'open', openedAt })).body as { id: string };
    await eventually(async () => (await timersOf('case_response', record.id)).length === 2);
    const disabled = await t.api.post('/api/v1/meta/escalation-rules/case_response/disable');
    expect(disabled.status).toBe(200);
    expect(disabled.body.definition.enabled).toBe(false);
    expect((await timersOf('case_response', record.id)).map((timer) => timer.state)).toEqual(['cancelled', 'cancelled']);
    expect((await t.api.post('/api/v1/meta/escalation-rules/case_response/enable')).status).toBe(200);
    await eventually(async () => (await timersOf('case_response', record.id)).every((timer) => timer.state === 'pending'));
    // A pause and its end read in one batch of the change feed: the clock goes through both, in order.
    expect((await patch('case', record.id, { status: 'waitingOnCustomer' })).status).toBe(200);
    expect((await patch('case', record.id, { status: 'open' })).status).toBe(200);
    await eventually(async () => {
      await t.auditSealer.sealPending();
      const timers = await timersOf('case_response', record.id);
      return timers.every((timer) => timer.state === 'pending') && timers.map((timer) => timer.dueAt).join() === `${firstDue},${lastDue}`;
    });
    const versions = (await t.api.get('/api/v1/meta/escalation-rules/case_response/versions')).body.versions as unknown[];
    expect(versions).toHaveLength(3);
    expect((await t.api.get('/api/v1/meta/escalation-rules')).body.escalationRules.map((candidate: { name: string }) => candidate.name)).toEqual(['case_response']);
    expect((await t.api.delete('/api/v1/meta/escalation-rules/case_response')).status).toBe(204);
    expect((await t.api.get('/api/v1/meta/escalation-rules/case_response')).status).toBe(404);
    expect((await timersOf('case_response', record.id)).map((timer) => timer.state)).toEqual(['cancelled', 'cancelled']);
  });
});
