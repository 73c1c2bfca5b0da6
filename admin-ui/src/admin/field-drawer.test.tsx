import type { ObjectDefinition } from '@daicho/sdk';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../i18n/index.ts';
import { FieldDrawer } from './field-drawer.tsx';

const visit: ObjectDefinition = {
  name: 'site_visit',
  labels: { en: 'Site visit' },
  fields: [
    { name: 'status', type: 'picklist', labels: { en: 'Status' }, values: [{ value: 'planned', labels: { en: 'Planned' } }] },
  ],
};

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** The drawer as the designer shows it; only the network (global fetch) is replaced. */
function renderDrawer(field?: ObjectDefinition['fields'][number]) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const saved = vi.fn();
  render(
    <I18nextProvider i18n={createI18n('en')}>
      <QueryClientProvider client={queryClient}>
        <AntApp>
          <FieldDrawer open object={visit} objects={[visit]} field={field} onClose={() => undefined} onSaved={saved} />
        </AntApp>
      </QueryClientProvider>
    </I18nextProvider>,
  );
  return { saved };
}

/** The error texts Ant Design shows under the form item of `id`. */
function errorsUnder(id: string): string {
  return document.getElementById(`${id}_help`)?.textContent ?? '';
}

/** jsdom has no ResizeObserver, which Ant Design's drawer and text areas use: a stand-in that observes nothing. */
class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

describe('the field drawer', () => {
  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', NoResizeObserver);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('puts the server\'s problems on their inputs: hand-crafted ones, a picklist row, a generated option, and the rest on top', async () => {
    const fetchMock = vi.fn(async () =>
      jsonResponse(422, {
        error: {
          code: 'INVALID_DEFINITION',
          message: 'The definition is not valid',
          details: {
            problems: [
              { path: '/name', code: 'not', message: 'must NOT be valid' },
              { path: '/values/0/value', code: 'pattern', message: 'must match pattern' },
              { path: '/maxSelected', code: 'minimum', message: 'must be >= 1' },
              { path: '/fields/0/titleField', code: 'unknownField', message: 'no such field' },
            ],
          },
        },
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const { saved } = renderDrawer({ name: 'version', type: 'multiPicklist', labels: { en: 'Version' }, values: [{ value: 'x y', labels: { en: 'X' } }], maxSelected: 0 });

    fireEvent.click(screen.getByTestId('save-field'));
    await waitFor(() => expect(errorsUnder('field_name')).toBe('This name is reserved by the platform; choose another.'));
    expect(errorsUnder('field_values')).toBe('Entry 1: This value is not in the right format.');
    expect(document.getElementById('option_maxSelected__error')?.textContent).toContain('Too small.');
    const banner = screen.getByTestId('field-error').textContent;
    expect(banner).toContain('The definition is not valid.');
    expect(banner).toContain('/fields/0/titleField: There is no such field.');
    expect(saved).not.toHaveBeenCalled();

    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/meta/objects/site_visit/fields/version');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(String(init.body))).toEqual({ name: 'version', type: 'multiPicklist', labels: { en: 'Version' }, values: [{ value: 'x y', labels: { en: 'X' } }], maxSelected: 0 });
  });

  it('adds a new field with the options the generated form gives, and without the ones left empty', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(201, { object: visit, version: 2, steps: [], conversions: [], warnings: [] }));
    vi.stubGlobal('fetch', fetchMock);
    const { saved } = renderDrawer();
    fireEvent.change(screen.getByTestId('field-label-en'), { target: { value: 'Close date' } });
    expect((screen.getByTestId('field-name') as HTMLInputElement).value).toBe('closeDate');
    fireEvent.click(document.getElementById('option_required')!);
    fireEvent.click(screen.getByTestId('save-field'));
    await waitFor(() => expect(saved).toHaveBeenCalledWith({ object: visit, version: 2, etag: '"2"' }));
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/meta/objects/site_visit/fields');
    expect(JSON.parse(String(init.body))).toEqual({ name: 'closeDate', type: 'text', labels: { en: 'Close date' }, required: true });
  });
});
