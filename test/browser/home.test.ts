import { startTestDaicho, type TestDaicho } from '@daicho/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';

describe('the served admin UI', () => {
  let daicho: TestDaicho;
  let browser: TestBrowser;

  beforeAll(async () => {
    daicho = await startTestDaicho({ serverUrl: inject('databaseUrl') });
    browser = await launchBrowser({ locale: 'en-US' });
  });
  afterAll(async () => {
    await browser?.close();
    await daicho?.close();
  });

  it('shows the server health on the public status page and version in English and in Japanese, with no console errors', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${daicho.baseUrl}/status`);
    const status = page.getByTestId('server-status');
    await expect.poll(() => status.textContent()).toBe('Running');
    expect(await page.getByTestId('server-version').textContent()).toContain('0.1.0');
    expect(await page.locator('h1').textContent()).toBe('Daichō');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    await page.getByTestId('language-switch').getByText('日本語').click();
    await expect.poll(() => status.textContent()).toBe('稼働中');
    expect(await page.locator('h1').textContent()).toBe('台帳 Daichō');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');

    // The choice survives a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('server-status').textContent()).toBe('稼働中');
    expect(problems).toEqual([]);
  });

  it('serves the app for client-side routes but never for API paths', async () => {
    const deepLink = await daicho.fetch('/workspace/some/client/route');
    expect(deepLink.status).toBe(200);
    expect(deepLink.headers.get('content-type')).toMatch(/^text\/html/);
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');

    const api = await daicho.fetch('/api/v1/unknown');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');

    const traversal = await daicho.fetch('/..%2f..%2fpackage.json');
    expect(await traversal.text()).not.toContain('"name": "@daicho');
  });
});
