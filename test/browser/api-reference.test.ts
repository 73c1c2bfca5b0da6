import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { accountObject, dealObject } from '../support/crm-objects.ts';

const hostileLabel = '<img src=x onerror="window.__labelRan=1"><script>window.__labelRan=2</script>';

describe('the API reference page', () => {
  let daicho: TestDaicho;
  let browser: TestBrowser;
  let token: string;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    expect((await daicho.api.post('/api/v1/meta/objects', accountObject)).status).toBe(201);
    expect((await daicho.api.post('/api/v1/meta/objects', dealObject)).status).toBe(201);
    // Labels are admin-supplied text: this one must show as text and never run.
    const field = await daicho.api.post('/api/v1/meta/objects/deal/fields', { name: 'riskNote', type: 'text', labels: { en: hostileLabel, ja: 'リスク' }, help: { en: 'Why this deal might slip <b>not bold</b>' } });
    expect(field.status).toBe(201);
    const { workspaceSlug, adminEmail, adminPassword } = daicho.firstStart!;
    const login = await daicho.fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: workspaceSlug, email: adminEmail, password: adminPassword }) });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { token: string }).token;
    browser = await launchBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await daicho?.close();
  });

  it('asks for a token, then shows each object\'s operations and fields, searchable, in English and Japanese', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // The first load has no token: the browser logs the 401 of openapi.json, which is expected.
      if (message.type() === 'error' && !message.text().includes('401')) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${daicho.baseUrl}/api/v1/reference`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const status = page.getByTestId('status');
    await expect.poll(() => status.textContent()).toContain('paste a session token');
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('token-form').getByRole('button').click();

    const deal = page.locator('[data-testid="tag"][data-tag="deal"]');
    await deal.waitFor();
    expect(await page.locator('[data-testid="tag"][data-tag="account"] h2').textContent()).toContain('Account');
    expect(await deal.locator('h2').textContent()).toContain('Deal');
    expect(await page.locator('#reference').evaluate((element) => element.firstChild?.nodeName)).toBe('SECTION');
    const summaries = await deal.locator('[data-testid="operation"] > summary').allTextContents();
    expect(summaries).toContain('GET /api/v1/records/deal List Deal records');
    expect(summaries).toContain('PATCH /api/v1/records/deal/{id} Update a Deal record');

    const create = deal.locator('[data-testid="operation"][data-method="post"][data-path="/api/v1/records/deal"]');
    await create.locator('summary').click();
    const stage = create.locator('.schema').first().locator('tr[data-field="stage"]');
    expect(await stage.textContent()).toContain('prospect, proposal, won, lost');
    expect(await create.locator('.schema').first().locator('tr[data-field="title"]').textContent()).toContain('required');
    expect(await create.locator('.schema').first().locator('tr[data-field="amount.currency"]').count()).toBe(1);
    expect(await create.locator('.response[data-status="422"]').textContent()).toContain('VALIDATION_FAILED');
    const read = deal.locator('[data-testid="operation"][data-method="get"][data-path="/api/v1/records/deal/{id}"]');
    await read.locator('summary').click();
    expect(await read.locator('tr[data-field="expected"]').textContent()).toMatch(/number.*read-only.*nullable.*Expected revenue/);
    expect(await read.locator('tr[data-field="closeDate"]').textContent()).toContain('string (date)');

    // The hostile label is text: shown verbatim, no element made from it, nothing ran.
    const risk = read.locator('tr[data-field="riskNote"]');
    expect(await risk.textContent()).toContain(hostileLabel);
    expect(await risk.textContent()).toContain('<b>not bold</b>');
    expect(await page.locator('#reference img, #reference script, #reference b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __labelRan?: number }).__labelRan)).toBeUndefined();

    await mkdir(path.resolve(import.meta.dirname, '../../test-results'), { recursive: true });
    await page.screenshot({ path: path.resolve(import.meta.dirname, '../../test-results/api-reference.png'), fullPage: true });

    // The error codes, each with its status.
    expect(await page.locator('#error-PRECONDITION_REQUIRED').textContent()).toContain('428');

    const search = page.getByTestId('search');
    const total = await page.locator('[data-testid="operation"]').count();
    await search.fill('purge');
    await expect.poll(() => page.locator('[data-testid="operation"]:visible').count()).toBe(2);
    expect(await page.getByTestId('operation-count').textContent()).toBe(`2 of ${total} operations`);
    await search.fill('deal restore');
    await expect.poll(() => page.locator('[data-testid="operation"]:visible').count()).toBe(1);
    expect(await page.locator('[data-testid="tag"][data-tag="account"]').isVisible()).toBe(false);
    await search.fill('no such operation');
    await expect.poll(() => page.getByTestId('no-match').isVisible()).toBe(true);
    await search.fill('');
    await expect.poll(() => page.locator('[data-testid="operation"]:visible').count()).toBe(total);

    await page.getByTestId('language-switch').getByText('日本語').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Daichō API リファレンス');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await deal.locator('h2').textContent()).toContain('商談');
    expect(await read.locator('tr[data-field="riskNote"]').textContent()).toContain('リスク');

    // The token lives in this tab's sessionStorage only and survives a reload.
    expect(await page.evaluate(() => sessionStorage.getItem('daicho.reference.token'))).toBe(token);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(token);
    await page.reload();
    await deal.waitFor();
    expect(await page.getByTestId('token-form').isVisible()).toBe(false);


    // Forgetting the token goes back to asking for one.
    await page.getByTestId('forget-token').click();
    await expect.poll(() => page.getByTestId('token-form').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('daicho.reference.token'))).toBeNull();
    expect(problems).toEqual([]);
  });

  it('serves its script and stylesheet from core, cacheable by ETag, without a session', async () => {
    const script = await daicho.fetch('/api/v1/reference/reference.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const etag = script.headers.get('etag')!;
    // fetch() would add Cache-Control: no-cache to a conditional request unless one is given.
    expect((await daicho.fetch('/api/v1/reference/reference.js', { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } })).status).toBe(304);
    const style = await daicho.fetch('/api/v1/reference/reference.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const html = await (await daicho.fetch('/api/v1/reference')).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect((await daicho.fetch('/api/v1/reference/other.js')).status).toBe(404);
  });
});
