import type { PicklistValue } from '@daicho/sdk';
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.ts';
import { PicklistValuesEditor } from './picklist-values-editor.tsx';

/** The editor in a form-like owner that keeps its value, so each change shows as it would. */
function renderEditor(initial: PicklistValue[], locked: string[] = []) {
  const seen: PicklistValue[][] = [];
  function Owner() {
    const [value, setValue] = useState(initial);
    return (
      <PicklistValuesEditor
        value={value}
        lockedValues={new Set(locked)}
        onChange={(next) => {
          seen.push(next);
          setValue(next);
        }}
      />
    );
  }
  render(
    <I18nextProvider i18n={createI18n('en')}>
      <Owner />
    </I18nextProvider>,
  );
  return { last: () => seen.at(-1) };
}

describe('the picklist values editor', () => {
  it('adds a value whose API value follows its English label, with a Japanese label', () => {
    const { last } = renderEditor([]);
    fireEvent.click(screen.getByTestId('picklist-add'));
    fireEvent.change(screen.getByLabelText('English label 1'), { target: { value: 'Closed won' } });
    fireEvent.change(screen.getByLabelText('Japanese label 1'), { target: { value: '成約' } });
    expect(last()).toEqual([{ value: 'closed_won', labels: { en: 'Closed won', ja: '成約' } }]);
  });

  it('keeps an API value the admin typed, and one already saved', () => {
    const { last } = renderEditor([{ value: 'won', labels: { en: 'Won' } }], ['won']);
    expect((screen.getByLabelText('API value 1') as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('English label 1'), { target: { value: 'Won!' } });
    expect(last()).toEqual([{ value: 'won', labels: { en: 'Won!' } }]);
    expect((screen.getByLabelText('Delete value 1') as HTMLButtonElement).disabled).toBe(true);
  });

  it('reorders, marks inactive, colours and removes values', () => {
    const { last } = renderEditor([
      { value: 'a', labels: { en: 'A' } },
      { value: 'b', labels: { en: 'B' } },
    ]);
    expect((screen.getByLabelText('Move value 1 up') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Move value 2 up'));
    expect(last()?.map((row) => row.value)).toEqual(['b', 'a']);
    fireEvent.click(screen.getAllByRole('checkbox')[1]!);
    expect(last()?.[1]).toEqual({ value: 'a', labels: { en: 'A' }, inactive: true });
    fireEvent.change(screen.getByLabelText('Colour of value 1'), { target: { value: '#ff0000' } });
    expect(last()?.[0]).toEqual({ value: 'b', labels: { en: 'B' }, color: '#ff0000' });
    fireEvent.click(screen.getByLabelText('Delete value 1'));
    expect(last()).toEqual([{ value: 'a', labels: { en: 'A' }, inactive: true }]);
  });
});
