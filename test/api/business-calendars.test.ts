import type { BusinessCalendarDefinition } from '@daicho/sdk';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorBody, type ErrorCase } from '../support/error-bodies.ts';

// Business-hours calendars through the API: saved as versioned definitions with the meta-schema
// and the calendar rules checked, and business-time computed on a saved calendar.

const nineToSix = [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }];
const support: BusinessCalendarDefinition = {
  name: 'support',
  labels: { ja: 'サポート窓口', en: 'Support desk' },
  weeklyHours: { monday: nineToSix, tuesday: nineToSix, wednesday: nineToSix, thursday: nineToSix, friday: nineToSix },
  closures: [{ date: '2026-08-13', through: '2026-08-14', labels: { ja: 'お盆休み', en: 'Obon' } }],
};
const base = '/api/v1/meta/business-calendars';

describe('business calendars API', () => {
  let daicho: TestDaicho;
  let userToken = '';

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    userToken = (await daicho.createUserSession({ isAdmin: false })).token;
  });
  afterAll(async () => {
    await daicho?.close();
  });

  describe('success', () => {
    it('saves a calendar, lists it, reads it with its ETag, and keeps versions with diffs', async () => {
      const created = await daicho.api.put(`${base}/support`, support);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toEqual({ definition: support, version: 1 });
      const changed = { ...support, timeZone: 'Asia/Tokyo', yearEndClosure: { from: '12-28', through: '01-04' } };
      const updated = await daicho.api.put(`${base}/support`, changed, { headers: { 'if-match': '"1"' } });
      expect(updated.status).toBe(200);
      expect(updated.body.version).toBe(2);
      const read = await daicho.api.get(`${base}/support`);
      expect(read.headers.get('etag')).toBe('"2"');
      expect(read.body.definition).toEqual(changed);
      expect((await daicho.api.get(base)).body.businessCalendars.map((calendar: { name: string; version: number }) => [calendar.name, calendar.version])).toEqual([['support', 2]]);
      const versions = await daicho.api.get(`${base}/support/versions`);
      expect(versions.body.versions.map((version: { version: number; change: string }) => [version.version, version.change])).toEqual([[2, 'updated'], [1, 'created']]);
      expect(versions.body.versions[0].diff).toEqual(expect.arrayContaining([{ op: 'add', path: '/timeZone', value: 'Asia/Tokyo' }]));
      expect((await daicho.api.get(`${base}/support/versions/1`)).body.body).toEqual(support);
    });

    it('computes business time on a saved calendar: add, subtract, between with pauses, open or not', async () => {
      const compute = (body: unknown) => daicho.api.post(`${base}/support/compute`, body);
      // Friday 17:30 + 1 h → Monday 09:30; 11:30 + 1 h over lunch → 13:30.
      expect((await compute({ start: '2026-06-05T17:30:00+09:00', add: 'PT1H' })).body).toEqual({ result: '2026-06-08T00:30:00.000Z', businessMs: 3_600_000 });
      expect((await compute({ start: '2026-06-01T11:30:00+09:00', add: 'PT1H' })).body.result).toBe('2026-06-01T04:30:00.000Z');
      expect((await compute({ start: '2026-06-08T09:30:00+09:00', subtract: 'PT1H' })).body.result).toBe('2026-06-05T08:30:00.000Z');
      // Golden Week: Friday 5/1 17:00 + 4 h → Thursday 5/7 12:00 (lunch at 12:00).
      expect((await compute({ start: '2026-05-01T17:00:00+09:00', add: 'PT4H' })).body.result).toBe('2026-05-07T03:00:00.000Z');
      // The year-end closure was widened to Dec 28 – Jan 4 above.
      expect((await compute({ start: '2026-12-25T17:00:00+09:00', add: 'PT2H' })).body.result).toBe('2027-01-05T01:00:00.000Z');
      const between = await compute({ from: '2026-06-01T09:00:00+09:00', to: '2026-06-02T09:00:00+09:00', pauses: [{ start: '2026-06-01T10:00:00+09:00', end: '2026-06-01T11:00:00+09:00' }], spans: true });
      expect(between.body).toEqual({
        businessMs: 7 * 3_600_000,
        duration: 'PT7H',
        spans: [{ start: '2026-06-01T00:00:00.000Z', end: '2026-06-01T03:00:00.000Z' }, { start: '2026-06-01T04:00:00.000Z', end: '2026-06-01T09:00:00.000Z' }],
      });
      expect((await compute({ start: '2026-06-01T09:00:00+09:00', add: 'PT4H', pauses: [{ start: '2026-06-01T10:00:00+09:00' }] })).body.result).toBeNull();
      expect((await compute({ at: '2026-08-13T10:00:00+09:00' })).body).toEqual({ open: false, nextOpening: '2026-08-17T00:00:00.000Z' });
    });

    it('deletes a calendar (its history stays) and restores it by saving again', async () => {
      expect((await daicho.api.put(`${base}/temporary`, { ...support, name: 'temporary' })).status).toBe(201);
      expect((await daicho.api.delete(`${base}/temporary`)).status).toBe(204);
      expect((await daicho.api.get(`${base}/temporary`)).status).toBe(404);
      expect((await daicho.api.get(`${base}/temporary/versions`)).body.versions.map((version: { change: string }) => version.change)).toEqual(['deleted', 'created']);
      const restored = await daicho.api.put(`${base}/temporary`, { ...support, name: 'temporary' });
      expect([restored.status, restored.body.version]).toEqual([200, 3]);
    });
  });

  describe('failure', () => {
    const api = () => daicho.api;
    const cases: ErrorCase[] = [
      {
        name: 'unknown time zone, overlapping and backward intervals, backward range',
        status: 422,
        send: () => api().put(`${base}/broken`, {
          ...support, name: 'broken', timeZone: 'Asia/Atlantis',
          weeklyHours: { monday: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '18:00' }], tuesday: [{ start: '18:00', end: '09:00' }] },
          closures: [{ date: '2026-08-14', through: '2026-08-13' }],
        }),
      },
      { name: 'breaks the meta-schema (bad time, unknown weekday, missing labels)', status: 422, send: () => api().put(`${base}/broken`, { name: 'broken', weeklyHours: { monday: [{ start: '9:00', end: '25:00' }], someday: [] } }) },
      { name: 'never open', status: 422, send: () => api().put(`${base}/broken`, { ...support, name: 'broken', weeklyHours: {} }) },
      { name: 'name differs from the path', status: 422, send: () => api().put(`${base}/other`, support) },
      { name: 'stale If-Match', status: 409, send: () => api().put(`${base}/support`, support, { headers: { 'if-match': '"1"' } }) },
      { name: 'not found', status: 404, send: () => api().get(`${base}/nowhere`) },
      { name: 'delete not found', status: 404, send: () => api().delete(`${base}/nowhere`) },
      { name: 'without designObjects', status: 403, send: () => api().get(base, { token: userToken }) },
      { name: 'compute: bad duration and start', status: 422, send: () => api().post(`${base}/support/compute`, { start: 'monday', add: 'P1D' }) },
      { name: 'compute: neither add nor to', status: 422, send: () => api().post(`${base}/support/compute`, { start: '2026-06-01T09:00:00+09:00' }) },
      { name: 'compute: unknown calendar', status: 404, send: () => api().post(`${base}/nowhere/compute`, { at: '2026-06-01T09:00:00+09:00' }) },
    ];
    for (const { name, status, send } of cases) {
      it(name, async () => {
        expect(errorBody(await send(), status)).toMatchSnapshot();
      });
    }
  });
});
