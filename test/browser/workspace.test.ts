import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { totpFor } from '../support/auth.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { accountObject, dealObject } from '../support/crm-objects.ts';

const shots = path.resolve(import.meta.dirname, '../../test-results');

/** Saves a screenshot for reviewers and the user guide (docs/user-guide/getting-around.md). */
async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in page, starting from `path` (which it then returns to). */
async function signInThroughUi(page: Page, baseUrl: string, pathAfter: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}${pathAfter}`);
  await page.waitForURL(/\/sign-in\?next=/);
  await page.getByLabel('Workspace').fill('demo');
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === pathAfter);
}

/** Opens `pathAfter`, signing in first when this browser has no session yet. */
async function openSignedIn(page: Page, baseUrl: string, pathAfter: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}${pathAfter}`);
  await page.locator('[data-testid="object-nav"], #workspace').first().waitFor({ state: 'attached' });
  if (new URL(page.url()).pathname === '/sign-in') await signInThroughUi(page, baseUrl, pathAfter, user);
}

/** Chooses an option of an Ant Design select. */
async function choose(page: Page, select: string, option: string): Promise<void> {
  await page.locator(select).click();
  await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`).click();
}

describe('the workspace: sign-in, lists and records', () => {
  let daicho: TestDaicho;
  let browser: TestBrowser;
  let user: { token: string; userId: string; email: string; password: string };

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    for (const object of [accountObject, dealObject]) expect((await daicho.api.post('/api/v1/meta/objects', object)).status).toBe(201);
    // A sales role: deals to create, read, change and export, notes only to read; accounts hidden.
    const set = await daicho.api.put('/api/v1/meta/permission-sets/sales', {
      name: 'sales',
      labels: { en: 'Sales' },
      objects: { deal: { create: true, read: true, update: true, export: true, fields: { notes: 'read' } } },
    });
    expect(set.status).toBeLessThan(300);
    expect((await daicho.api.put('/api/v1/meta/roles/sales', { name: 'sales', labels: { en: 'Sales' }, permissionSets: ['sales'] })).status).toBeLessThan(300);
    user = await daicho.createUserSession({ roleName: 'sales', email: 'hanako@example.com' });
    expect((await daicho.api.patch(`/api/v1/users/${user.userId}`, { locale: 'en', timeZone: 'Asia/Tokyo' })).status).toBe(200);
    for (const title of ['Alpha renewal', 'Beta expansion']) {
      const created = await daicho.api.post('/api/v1/records/deal', { title, amount: { amount: 5000, currency: 'JPY' } }, { token: user.token });
      expect(created.status).toBe(201);
    }
    browser = await launchBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await daicho?.close();
  });

  it('signs in with a cookie session, creates and edits a record, and filters the list', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // Answers with an error status (the 422 above) are logged by the browser itself.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });

    await signInThroughUi(page, daicho.baseUrl, '/o/deal', user);
    const cookies = await browser.context.cookies(daicho.baseUrl);
    const session = cookies.find((cookie) => cookie.name === 'daicho_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');

    // Navigation lists what the user may read: deals, not accounts.
    const nav = page.getByTestId('object-nav');
    await expect.poll(() => nav.textContent()).toContain('Deal');
    expect(await nav.textContent()).not.toContain('Account');
    await expect.poll(() => page.getByTestId('record-count').textContent()).toBe('2 records');

    // A new record: the server's problems appear on their fields, in the UI language.
    await page.getByTestId('new-record').click();
    await page.waitForURL(/\/o\/deal\/new$/);
    await page.locator('#field_amount_amount').fill('120000');
    await page.getByTestId('save-record').click();
    await expect.poll(() => page.locator('#field_title__error').textContent()).toContain('This field is required.');
    expect(await page.getByTestId('record-error').textContent()).toContain('Some values are not valid.');
    // Notes may only be read: a new record does not offer it.
    expect(await page.locator('#field_notes').count()).toBe(0);

    await page.locator('#field_title').fill('Gamma launch');
    await choose(page, '#field_stage', 'Proposal');
    await page.getByTestId('save-record').click();
    await page.waitForURL(/\/o\/deal\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('value-title').textContent()).toBe('Gamma launch');
    expect(await page.getByTestId('value-amount').textContent()).toBe('¥120,000');
    expect(await page.getByTestId('value-stage').textContent()).toBe('Proposal');
    const id = new URL(page.url()).pathname.split('/').pop()!;

    // Edit: only the changed field is sent, with the ETag.
    await page.getByTestId('edit-record').click();
    await page.locator('#field_title').fill('Gamma launch (phase 2)');
    await page.getByTestId('save-record').click();
    await expect.poll(() => page.getByTestId('value-title').textContent()).toBe('Gamma launch (phase 2)');
    const stored = await daicho.api.get(`/api/v1/records/deal/${id}`, { token: user.token });
    expect(stored.body).toMatchObject({ title: 'Gamma launch (phase 2)', version: 2, stage: 'proposal', amount: { amount: 120000, currency: 'JPY' } });
    await screenshot(page, 'workspace-record');

    // The list: three records; filter by title.
    await page.getByRole('link', { name: 'Deal' }).first().click();
    await expect.poll(() => page.getByTestId('record-count').textContent()).toBe('3 records');
    await page.getByTestId('filter-button').click();
    await choose(page, '[data-testid="filter-row-0"] [data-testid="filter-field"]', 'Title');
    await page.getByTestId('filter-value').fill('gamma');
    await page.getByTestId('apply-filter').click();
    await expect.poll(() => page.getByTestId('record-count').textContent()).toBe('1 record');
    expect(await page.getByTestId('record-table').locator('tbody').textContent()).toContain('Gamma launch (phase 2)');
    const exportHref = await page.getByTestId('export-csv').getAttribute('href');
    expect(decodeURIComponent(exportHref ?? '')).toContain('"op":"contains","value":"gamma"');
    await screenshot(page, 'workspace-list-filtered');

    // Sort by a header, on the server.
    await page.getByTestId('apply-filter').locator('xpath=following-sibling::button').click();
    await expect.poll(() => page.getByTestId('record-count').textContent()).toBe('3 records');
    await page.getByTestId('record-table').locator('th').filter({ hasText: 'Title' }).click();
    await expect.poll(() => page.getByTestId('record-table').locator('tbody tr.ant-table-row').first().textContent()).toContain('Alpha renewal');
    await page.getByTestId('record-table').locator('th').filter({ hasText: 'Title' }).click();
    await expect.poll(() => page.getByTestId('record-table').locator('tbody tr.ant-table-row').first().textContent()).toContain('Gamma launch');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('switches between Japanese and English and saves the choice as the user\'s own', async () => {
    const page = await browser.context.newPage();
    await openSignedIn(page, daicho.baseUrl, '/o/deal', user);
    await expect.poll(() => page.getByTestId('list-title').textContent()).toBe('Deal');
    await page.getByTestId('language-switch').getByText('日本語').click();
    await expect.poll(() => page.getByTestId('list-title').textContent()).toBe('商談');
    expect(await page.getByTestId('new-record').textContent()).toContain('新規作成');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await expect.poll(async () => (await daicho.api.get('/api/v1/auth/me', { token: user.token })).body.locale).toBe('ja');
    await screenshot(page, 'workspace-list-ja');
    await page.getByTestId('language-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('list-title').textContent()).toBe('Deal');
    await expect.poll(async () => (await daicho.api.get('/api/v1/auth/me', { token: user.token })).body.locale).toBe('en');
    await page.close();
  });

  it('shows the conflict dialog when two sessions edit the same record', async () => {
    const created = await daicho.api.post('/api/v1/records/deal', { title: 'Delta', probability: 10 }, { token: user.token });
    const id = created.body.id as string;
    const other = await launchBrowser({ locale: 'en-US' });
    try {
      const first = await browser.context.newPage();
      const second = await other.context.newPage();
      await openSignedIn(first, daicho.baseUrl, `/o/deal/${id}`, user);
      await openSignedIn(second, daicho.baseUrl, `/o/deal/${id}`, user);
      for (const page of [first, second]) {
        await expect.poll(() => page.getByTestId('value-title').textContent()).toBe('Delta');
        await page.getByTestId('edit-record').click();
      }
      await first.locator('#field_probability').fill('40');
      await first.getByTestId('save-record').click();
      await expect.poll(() => first.getByTestId('value-probability').textContent()).toBe('40%');

      await second.locator('#field_probability').fill('70');
      await second.getByTestId('save-record').click();
      const dialog = second.getByTestId('conflict-dialog');
      await expect.poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.getByTestId('conflict-theirs').first().textContent()).toBe('40%');
      expect(await dialog.textContent()).toContain('70%');
      await screenshot(second, 'workspace-conflict');
      // Nothing was overwritten behind the user's back.
      expect((await daicho.api.get(`/api/v1/records/deal/${id}`, { token: user.token })).body.probability).toBe(40);

      await second.getByTestId('conflict-overwrite').click();
      await expect.poll(() => second.getByTestId('value-probability').textContent()).toBe('70%');
      expect((await daicho.api.get(`/api/v1/records/deal/${id}`, { token: user.token })).body).toMatchObject({ probability: 70, version: 3 });
    } finally {
      await other.close();
    }
  });

  it('works on a 390×844 phone screen', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await openSignedIn(page, daicho.baseUrl, '/o/deal', user);
    await expect.poll(() => page.getByTestId('record-count').textContent()).toContain('records');
    expect(await page.getByTestId('new-record').isVisible()).toBe(true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'workspace-phone-list');
    // The navigation folds away on a phone and opens from the header.
    expect(await page.getByTestId('object-nav').isVisible()).toBe(false);
    await page.getByTestId('nav-toggle').click();
    await expect.poll(() => page.getByTestId('object-nav').isVisible()).toBe(true);
    await screenshot(page, 'workspace-phone-navigation');
    await page.getByTestId('object-nav').getByRole('link', { name: 'Deal' }).click();
    await expect.poll(() => page.getByTestId('object-nav').isVisible()).toBe(false);
    await page.getByTestId('record-table').locator('tbody a').first().click();
    await expect.poll(() => page.getByTestId('record-view').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'workspace-phone-record');
    await page.close();
  });

  it('goes back to sign-in when the session ends, and signs out', async () => {
    const page = await browser.context.newPage();
    await openSignedIn(page, daicho.baseUrl, '/o/deal', user);
    await expect.poll(() => page.getByTestId('record-count').textContent()).toContain('records');
    // Every session of the user ends elsewhere (the API's sign-out-everywhere).
    expect((await daicho.api.post('/api/v1/auth/logout-all', undefined, { token: user.token })).status).toBe(200);
    await page.getByTestId('next-page').isVisible();
    await page.getByRole('link', { name: 'Daichō' }).click();
    await page.getByTestId('object-nav').getByRole('link', { name: 'Deal' }).click();
    await page.waitForURL(/\/sign-in\?next=/);

    await signInThroughUi(page, daicho.baseUrl, '/o/deal', user);
    await screenshot(page, 'workspace-list');
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in/);
    await screenshot(page, 'workspace-sign-in');
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
  });

  it('asks for the one-time code of a user with two-step verification', async () => {
    const person = await daicho.createUserSession({ roleName: 'sales', email: 'taro@example.com' });
    expect((await daicho.api.patch(`/api/v1/users/${person.userId}`, { locale: 'en' })).status).toBe(200);
    const enrol = await daicho.api.post('/api/v1/auth/totp/enrol', { password: person.password }, { token: person.token });
    expect(enrol.status).toBe(200);
    const secret = enrol.body.secret as string;
    expect((await daicho.api.post('/api/v1/auth/totp/confirm', { code: totpFor(secret) }, { token: person.token })).status).toBe(200);

    const other = await launchBrowser({ locale: 'en-US' });
    try {
      const page = await other.context.newPage();
      await page.goto(`${daicho.baseUrl}/o/deal`);
      await page.waitForURL(/\/sign-in\?next=/);
      await page.getByLabel('Workspace').fill('demo');
      await page.getByLabel('E-mail').fill(person.email);
      await page.getByLabel('Password').fill(person.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Code').waitFor();
      // A wrong code is refused in the user's language; the code of the next 30-second step is accepted.
      await page.getByLabel('Code').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('The one-time code is not correct');
      // After a failed attempt the account waits a little before the next (429 until then).
      await page.waitForTimeout(2_500);
      await page.getByLabel('Code').fill(totpFor(secret, Date.now() + 30_000));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL((url) => url.pathname === '/o/deal');
      await expect.poll(() => page.getByTestId('list-title').textContent()).toBe('Deal');
    } finally {
      await other.close();
    }
  });
});
