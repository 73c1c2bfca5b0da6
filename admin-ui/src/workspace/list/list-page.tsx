import { DownloadOutlined, FilterOutlined, LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import type { FieldDefinition, Filter, ObjectDefinition } from '@daicho/sdk';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Flex, Result, Table, Typography, type TableColumnsType, type TableProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessageKey, exportCsvUrl, listRecords, type RecordData } from '../../api/index.ts';
import { useLanguage } from '../../i18n/index.ts';
import { useSignedInUser } from '../../session/index.ts';
import { formatValue, localeOf } from '../format-value.ts';
import { labelOf } from '../labels.ts';
import { fieldAccessOf, may, useWorkspaceMeta } from '../use-workspace-meta.ts';
import { ColumnChooser } from './column-chooser.tsx';
import { FilterBuilder } from './filter-builder.tsx';
import { toFilter, type FilterRow } from './filter-rows.ts';

const pageSize = 25;
const defaultColumnCount = 5;
/** Types a list column can sort by on the server. */
const sortableTypes = new Set(['text', 'email', 'phone', 'url', 'integer', 'decimal', 'percent', 'currency', 'boolean', 'date', 'datetime', 'picklist', 'autoNumber']);
/** Types shown in lists at all: the rest need a widget of their own. */
const listableTypes = new Set(['text', 'longText', 'email', 'phone', 'url', 'integer', 'decimal', 'percent', 'currency', 'boolean', 'date', 'datetime', 'picklist', 'multiPicklist', 'lookup', 'masterDetail', 'autoNumber', 'formula', 'rollup', 'address', 'name']);

const columnsKey = (object: string) => `daicho.columns.${object}`;

function storedColumns(object: string): string[] | undefined {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(columnsKey(object)) ?? 'null');
    return Array.isArray(stored) ? stored.filter((name): name is string => typeof name === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/** The list of one object's records; the route's element. */
export function ListPage() {
  const { object: objectName = '' } = useParams();
  const meta = useWorkspaceMeta();
  const { t } = useTranslation();
  const definition = meta.data?.objects.find((candidate) => candidate.name === objectName);
  const access = meta.data?.access.objects[objectName];
  if (meta.isPending) return <Card loading />;
  if (definition === undefined || !may(access, 'read')) return <Result status="404" title={t('errors.NOT_FOUND')} />;
  return <RecordList key={objectName} definition={definition} />;
}

function RecordList({ definition }: { definition: ObjectDefinition }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const me = useSignedInUser();
  const meta = useWorkspaceMeta();
  const navigate = useNavigate();
  const access = meta.data?.access.objects[definition.name];
  const fields = useMemo(
    () => definition.fields.filter((field) => listableTypes.has(field.type) && fieldAccessOf(field, access) !== 'none'),
    [definition, access],
  );
  const [columns, setColumnsState] = useState<string[]>(() => {
    const stored = storedColumns(definition.name)?.filter((name) => fields.some((field) => field.name === name));
    return stored !== undefined && stored.length > 0 ? stored : fields.slice(0, defaultColumnCount).map((field) => field.name);
  });
  const setColumns = (names: string[]) => {
    setColumnsState(names);
    try {
      localStorage.setItem(columnsKey(definition.name), JSON.stringify(names));
    } catch {
      // Without storage the choice lasts for this page only.
    }
  };
  const [sort, setSort] = useState<{ field: string; descending: boolean } | undefined>(undefined);
  const [rows, setRows] = useState<FilterRow[]>([{ key: 1 }]);
  const [filter, setFilter] = useState<Filter | undefined>(undefined);
  const [showFilter, setShowFilter] = useState(false);
  // Keyset paging goes forward by cursor; the cursors of earlier pages are kept to go back.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];

  const sortParam = sort === undefined ? undefined : `${sort.descending ? '-' : ''}${sort.field}`;
  const titleField = definition.titleField ?? fields[0]?.name;
  const shown = fields.filter((field) => columns.includes(field.name));
  const fieldsParam = [...new Set([...(titleField ? [titleField] : []), ...shown.map((field) => field.name)])];
  const query = { filter, sort: sortParam, fields: fieldsParam };

  const page = useQuery({
    queryKey: ['records', definition.name, query, cursor],
    queryFn: ({ signal }) => listRecords(definition.name, { ...query, cursor, limit: pageSize, count: true }, signal),
    placeholderData: keepPreviousData,
  });

  const restart = () => setCursors([undefined]);
  const context = { language, timeZone: me.timeZone };
  const fieldByName = new Map(fields.map((field) => [field.name, field] as const));
  const titleDefinition = titleField === undefined ? undefined : fieldByName.get(titleField);

  const tableColumns: TableColumnsType<RecordData> = [
    ...(titleDefinition === undefined || columns.includes(titleDefinition.name) ? [] : [titleDefinition]),
    ...shown,
  ].map((field: FieldDefinition) => ({
    key: field.name,
    dataIndex: field.name,
    title: labelOf(field.labels, language, field.name),
    sorter: sortableTypes.has(field.type),
    sortOrder: sort?.field === field.name ? (sort.descending ? 'descend' : 'ascend') : null,
    ellipsis: true,
    align: ['integer', 'decimal', 'percent', 'currency', 'rollup'].includes(field.type) ? ('right' as const) : undefined,
    render: (value: unknown, record: RecordData) => {
      const text = formatValue(field, value, context);
      return field.name === titleField ? (
        <Link to={`/o/${encodeURIComponent(definition.name)}/${encodeURIComponent(record.id)}`}>{text === '' ? t('list.untitled') : text}</Link>
      ) : (
        text
      );
    },
  }));

  const onTableChange: TableProps<RecordData>['onChange'] = (_pagination, _filters, sorter) => {
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = single?.columnKey;
    setSort(single?.order && typeof key === 'string' ? { field: key, descending: single.order === 'descend' } : undefined);
    restart();
  };

  const applied = filter === undefined ? 0 : 'and' in filter ? filter.and.length : 1;
  const total = page.data?.total;
  const label = labelOf(definition.pluralLabels ?? definition.labels, language, definition.name);

  return (
    <Flex vertical gap="middle">
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }} data-testid="list-title">
          {label}
        </Typography.Title>
        <Flex gap="small" wrap>
          <Badge count={applied} size="small">
            <Button icon={<FilterOutlined />} onClick={() => setShowFilter((open) => !open)} data-testid="filter-button" aria-expanded={showFilter}>
              {t('list.filter')}
            </Button>
          </Badge>
          <ColumnChooser fields={fields} chosen={columns} onChange={setColumns} />
          {may(access, 'export') && (
            <Button icon={<DownloadOutlined />} href={exportCsvUrl(definition.name, query)} download data-testid="export-csv">
              {t('list.exportCsv')}
            </Button>
          )}
          {may(access, 'create') && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="new-record" onClick={() => void navigate(`/o/${encodeURIComponent(definition.name)}/new`)}>
              {t('list.new')}
            </Button>
          )}
        </Flex>
      </Flex>
      {showFilter && (
        <Card size="small">
          <FilterBuilder
            fields={fields}
            rows={rows}
            onChange={setRows}
            onApply={() => {
              setFilter(toFilter(rows));
              restart();
            }}
            onClear={() => {
              setRows([{ key: 1 }]);
              setFilter(undefined);
              restart();
            }}
          />
        </Card>
      )}
      {page.isError && <Alert type="error" showIcon title={t(errorMessageKey(page.error))} />}
      <Table<RecordData>
        rowKey="id"
        size="middle"
        columns={tableColumns}
        dataSource={page.data?.records ?? []}
        loading={page.isFetching}
        pagination={false}
        onChange={onTableChange}
        scroll={{ x: 'max-content' }}
        data-testid="record-table"
        locale={{ emptyText: t('list.empty') }}
        showSorterTooltip={false}
      />
      <Flex justify="space-between" align="center" wrap gap="small">
        <Typography.Text type="secondary" data-testid="record-count">
          {total === undefined ? '' : t('list.count', { count: total, formatted: new Intl.NumberFormat(localeOf(language)).format(total) })}
        </Typography.Text>
        <Flex gap="small">
          <Button icon={<LeftOutlined />} disabled={cursors.length <= 1} onClick={() => setCursors((stack) => stack.slice(0, -1))} data-testid="previous-page">
            {t('list.previous')}
          </Button>
          <Button
            icon={<RightOutlined />}
            iconPlacement="end"
            disabled={page.data?.nextCursor === undefined || page.isPlaceholderData}
            onClick={() => setCursors((stack) => [...stack, page.data?.nextCursor])}
            data-testid="next-page"
          >
            {t('list.next')}
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
}
