import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { PicklistValue } from '@daicho/sdk';
import { Button, Checkbox, Flex, Input, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { suggestObjectName } from './field-schema.ts';

/** What {@link PicklistValuesEditor} is given by its form item. */
export interface PicklistValuesEditorProps {
  id?: string;
  value?: PicklistValue[];
  onChange?: (values: PicklistValue[]) => void;
  /** Values already used by saved records keep their API value (it is what records store). */
  lockedValues?: ReadonlySet<string>;
}

/**
 * The values of a picklist: API value, labels in ja and en, colour, inactive, in order. Typing the
 * English label of a new row suggests its API value.
 */
export function PicklistValuesEditor({ id, value = [], onChange, lockedValues }: PicklistValuesEditorProps) {
  const { t } = useTranslation();
  const change = (next: PicklistValue[]) => onChange?.(next);
  const update = (index: number, patch: Partial<PicklistValue>) => change(value.map((row, at) => (at === index ? withoutEmpty({ ...row, ...patch }) : row)));
  const move = (index: number, by: number) => {
    const next = [...value];
    const [row] = next.splice(index, 1);
    next.splice(index + by, 0, row!);
    change(next);
  };

  return (
    <div id={id} data-testid="picklist-editor">
      {value.map((row, index) => {
        const number = index + 1;
        const locked = lockedValues?.has(row.value) === true;
        return (
          <Flex key={index} wrap gap="small" align="center" className="daicho-picklist-row" data-testid={`picklist-row-${index}`} style={{ padding: 8, marginBottom: 8, border: '1px solid #f0f0f0', borderRadius: 6 }}>
            <Input
              style={{ flex: '1 1 140px' }}
              aria-label={t('designer.picklist.labelEn', { number })}
              placeholder={t('designer.picklist.labelEn', { number })}
              lang="en"
              value={row.labels.en ?? ''}
              data-testid={`picklist-label-en-${index}`}
              onChange={(event) => {
                const en = event.target.value;
                const suggested = suggestObjectName(row.labels.en ?? '');
                const follow = !locked && (row.value === '' || row.value === suggested);
                update(index, { labels: { ...row.labels, en }, ...(follow ? { value: suggestObjectName(en) } : {}) });
              }}
            />
            <Input
              style={{ flex: '1 1 140px' }}
              aria-label={t('designer.picklist.labelJa', { number })}
              placeholder={t('designer.picklist.labelJa', { number })}
              lang="ja"
              value={row.labels.ja ?? ''}
              data-testid={`picklist-label-ja-${index}`}
              onChange={(event) => update(index, { labels: { ...row.labels, ja: event.target.value } })}
            />
            <Input
              style={{ flex: '1 1 120px' }}
              aria-label={t('designer.picklist.value', { number })}
              placeholder={t('designer.picklist.value', { number })}
              value={row.value}
              disabled={locked}
              data-testid={`picklist-value-${index}`}
              onChange={(event) => update(index, { value: event.target.value })}
            />
            <Flex gap={4} align="center">
              <input
                type="color"
                aria-label={t('designer.picklist.color', { number })}
                value={row.color ?? '#d9d9d9'}
                onChange={(event) => update(index, { color: event.target.value })}
                style={{ width: 32, height: 32, padding: 0, border: 'none', background: 'none' }}
              />
              <Checkbox checked={row.inactive === true} onChange={(event) => update(index, { inactive: event.target.checked ? true : undefined })}>
                {t('designer.picklist.inactive')}
              </Checkbox>
              <Tooltip title={t('designer.moveUp')}>
                <Button size="small" icon={<ArrowUpOutlined />} aria-label={t('designer.picklist.moveUp', { number })} disabled={index === 0} onClick={() => move(index, -1)} />
              </Tooltip>
              <Tooltip title={t('designer.moveDown')}>
                <Button size="small" icon={<ArrowDownOutlined />} aria-label={t('designer.picklist.moveDown', { number })} disabled={index === value.length - 1} onClick={() => move(index, 1)} />
              </Tooltip>
              <Tooltip title={t('designer.remove')}>
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('designer.picklist.remove', { number })} disabled={locked} onClick={() => change(value.filter((_, at) => at !== index))} />
              </Tooltip>
            </Flex>
          </Flex>
        );
      })}
      <Button icon={<PlusOutlined />} onClick={() => change([...value, { value: '', labels: {} }])} data-testid="picklist-add">
        {t('designer.picklist.add')}
      </Button>
    </div>
  );
}

/** A row without empty labels or an unset colour, as the meta-schema wants it. */
function withoutEmpty(row: PicklistValue): PicklistValue {
  const labels = Object.fromEntries(Object.entries(row.labels).filter(([, text]) => text !== undefined && text !== '')) as PicklistValue['labels'];
  const next: PicklistValue = { ...row, labels };
  if (next.color === undefined) delete next.color;
  if (next.inactive !== true) delete next.inactive;
  return next;
}
