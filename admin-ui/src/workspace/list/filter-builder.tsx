import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FieldDefinition, FilterOperator } from '@daicho/sdk';
import { Button, DatePicker, Flex, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n/index.ts';
import { labelOf } from '../labels.ts';
import { operatorsFor, type FilterRow } from './filter-rows.ts';

interface FilterBuilderProps {
  fields: FieldDefinition[];
  rows: FilterRow[];
  onChange: (rows: FilterRow[]) => void;
  onApply: () => void;
  onClear: () => void;
}

/** Rows of field, operator and value, all combined with "and". */
export function FilterBuilder({ fields, rows, onChange, onApply, onClear }: FilterBuilderProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const filterable = fields.filter((field) => operatorsFor(field).length > 0);
  const update = (key: number, change: Partial<FilterRow>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  const addRow = () => onChange([...rows, { key: Math.max(0, ...rows.map((row) => row.key)) + 1 }]);

  return (
    <Flex vertical gap="small" data-testid="filter-builder">
      {rows.map((row, index) => {
        const field = filterable.find((candidate) => candidate.name === row.field);
        const operators = field ? operatorsFor(field) : [];
        return (
          <Flex key={row.key} gap="small" wrap align="center" data-testid={`filter-row-${index}`}>
            <Select
              aria-label={t('list.filterField')}
              placeholder={t('list.filterField')}
              style={{ minWidth: 150, flex: '1 1 150px' }}
              value={row.field}
              showSearch={{ optionFilterProp: 'label' }}
              options={filterable.map((candidate) => ({ value: candidate.name, label: labelOf(candidate.labels, language, candidate.name) }))}
              onChange={(name: string) => {
                const next = filterable.find((candidate) => candidate.name === name);
                update(row.key, { field: name, op: next ? operatorsFor(next)[0] : undefined, value: undefined });
              }}
              data-testid="filter-field"
            />
            <Select<FilterOperator>
              aria-label={t('list.filterOperator')}
              placeholder={t('list.filterOperator')}
              style={{ minWidth: 130, flex: '0 1 150px' }}
              value={row.op}
              disabled={field === undefined}
              options={operators.map((op) => ({ value: op, label: t(`filterOps.${op}`) }))}
              onChange={(op) => update(row.key, { op })}
              data-testid="filter-operator"
            />
            {field !== undefined && row.op !== undefined && row.op !== 'isNull' && (
              <ValueInput field={field} value={row.value} onChange={(value) => update(row.key, { value })} />
            )}
            <Button icon={<DeleteOutlined />} aria-label={t('list.removeCondition')} onClick={() => onChange(rows.filter((candidate) => candidate.key !== row.key))} />
          </Flex>
        );
      })}
      <Flex gap="small" wrap>
        <Button icon={<PlusOutlined />} onClick={addRow} data-testid="add-condition">
          {t('list.addCondition')}
        </Button>
        <Button type="primary" onClick={onApply} data-testid="apply-filter">
          {t('list.applyFilter')}
        </Button>
        <Button onClick={onClear}>{t('list.clearFilter')}</Button>
      </Flex>
    </Flex>
  );
}

function ValueInput({ field, value, onChange }: { field: FieldDefinition; value: unknown; onChange: (value: unknown) => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const common = { 'aria-label': t('list.filterValue'), style: { minWidth: 150, flex: '1 1 150px' }, 'data-testid': 'filter-value' };
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'currency':
    case 'rollup':
      return <InputNumber {...common} value={typeof value === 'number' ? value : null} onChange={(next) => onChange(next ?? undefined)} />;
    case 'date':
      return <DatePicker {...common} value={typeof value === 'string' ? dayjs(value) : null} onChange={(next) => onChange(next ? next.format('YYYY-MM-DD') : undefined)} />;
    case 'datetime':
      return <DatePicker {...common} showTime value={typeof value === 'string' ? dayjs(value) : null} onChange={(next) => onChange(next ? next.toISOString() : undefined)} />;
    case 'boolean':
      return (
        <Select
          {...common}
          value={typeof value === 'boolean' ? String(value) : undefined}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
          onChange={(next: string) => onChange(next === 'true')}
        />
      );
    case 'picklist':
    case 'multiPicklist':
      return (
        <Select
          {...common}
          value={typeof value === 'string' ? value : undefined}
          options={field.values.map((option) => ({ value: option.value, label: labelOf(option.labels, language, option.value) }))}
          onChange={(next: string) => onChange(next)}
        />
      );
    case 'formula':
      if (field.returnType === 'number') return <InputNumber {...common} value={typeof value === 'number' ? value : null} onChange={(next) => onChange(next ?? undefined)} />;
      return <Input {...common} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value)} />;
    default:
      return <Input {...common} value={typeof value === 'string' ? value : ''} onChange={(event) => onChange(event.target.value)} onPressEnter={(event) => event.preventDefault()} />;
  }
}
