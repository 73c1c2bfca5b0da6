import type { ErrorBody, HealthReport } from '@daicho/sdk';
import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app.tsx';
import { createI18n, languageStorageKey, type Language } from '../i18n/index.ts';

const report: HealthReport = { status: 'ok', version: '0.1.0', uptimeSeconds: 12 };

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** The real app with fresh state; only the network (global fetch) is replaced. */
function renderApp(language: Language) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<App i18n={createI18n(language)} queryClient={queryClient} />);
}

describe('status page', () => {
  beforeEach(() => {
    localStorage.clear();
    document.documentElement.lang = '';
    window.history.pushState(null, '', '/status');
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows the status and version from GET /healthz', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, report));
    vi.stubGlobal('fetch', fetchMock);
    renderApp('en');

    expect(screen.getByTestId('server-status').textContent).toBe('Checking…');
    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toBe('Running'));
    expect(screen.getByTestId('server-version').textContent).toContain('0.1.0');
    expect(fetchMock).toHaveBeenCalledWith('/healthz', expect.anything());
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Daichō');
  });

  it('says Unavailable when the server reports itself unavailable', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(200, { ...report, status: 'unavailable' }));
    renderApp('en');
    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toBe('Unavailable'));
  });

  it('shows Unreachable and a translated reason when the server does not answer', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    renderApp('en');

    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toBe('Unreachable'));
    expect(screen.getByTestId('server-version').textContent).toBe('Unknown');
    expect(screen.getByText('The server did not answer. Check your connection and try again.')).toBeTruthy();
  });

  it('translates the error code of a failure and never shows the server message', async () => {
    const body: ErrorBody = { error: { code: 'SERVICE_UNAVAILABLE', message: 'database pool exhausted' } };
    vi.stubGlobal('fetch', async () => jsonResponse(503, body));
    renderApp('ja');

    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toBe('接続できません'));
    expect(screen.getByText('サービスが一時的に利用できません。しばらくしてからもう一度お試しください。')).toBeTruthy();
    expect(document.body.textContent).not.toContain('database pool exhausted');
  });

  it('switches the language of every text, <html lang> and the stored choice', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse(200, report));
    renderApp('en');
    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toBe('Running'));
    expect(document.documentElement.lang).toBe('en');
    const languageSwitch = screen.getByTestId('language-switch');
    expect(languageSwitch.getAttribute('aria-label')).toBe('Display language');
    expect(screen.getAllByRole('radio').map((radio) => radio.closest('label')?.textContent)).toEqual([
      '日本語',
      'English',
    ]);

    fireEvent.click(screen.getByText('日本語'));

    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toBe('稼働中'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('台帳 Daichō');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('サーバーの状態');
    expect(screen.getByTestId('language-switch').getAttribute('aria-label')).toBe('表示言語');
    expect(document.documentElement.lang).toBe('ja');
    expect(document.title).toBe('台帳 Daichō');
    expect(localStorage.getItem(languageStorageKey)).toBe('ja');

    fireEvent.click(screen.getByText('English'));

    await waitFor(() => expect(screen.getByTestId('server-status').textContent).toBe('Running'));
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(languageStorageKey)).toBe('en');
  });
});
