import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import type { FieldDefinition, ObjectDefinition } from '@daicho/sdk';
import { App as AntApp, Button, Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deleteFieldDefinition, replaceObjectDefinition, restoreFieldDefinition, type DesignedObject } from '../api/index.ts';
import { useLanguage } from '../i18n/index.ts';
import { labelOf } from '../workspace/index.ts';
import { FieldDrawer } from './field-drawer.tsx';
import { useDesignedObjects } from './use-designed-objects.ts';

/**
 * Days a deleted field stays restorable by default (`DAICHO_FIELD_RETENTION_DAYS`). The server
 * does not tell the browser its configured value, so the notice names the default and the setting.
 */
export const defaultRetentionDays = 30;

/** What {@link FieldsSection} shows and reports to. */
export interface FieldsSectionProps {
  designed: DesignedObject;
  onSaved: (saved: DesignedObject) => void;
  onFailure: (error: unknown) => void;
}

/** The fields of an object: order, add, edit, delete; deleted fields with restore. */
export function FieldsSection({ designed, onSaved, onFailure }: FieldsSectionProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { modal, message } = AntApp.useApp();
  const objects = useDesignedObjects();
  const [editing, setEditing] = useState<{ field?: FieldDefinition } | undefined>();
  const [busy, setBusy] = useState(false);
  const object = designed.object;

  async function run(change: () => Promise<DesignedObject>, done?: string) {
    setBusy(true);
    try {
      onSaved(await change());
      if (done !== undefined) void message.success(done);
    } catch (error) {
      onFailure(error);
    } finally {
      setBusy(false);
    }
  }

  function move(index: number, by: number) {
    const fields = [...object.fields];
    const [field] = fields.splice(index, 1);
    fields.splice(index + by, 0, field!);
    const { deletedFields: _kept, ...editable } = object;
    void run(() => replaceObjectDefinition({ ...editable, fields } as ObjectDefinition, designed.etag));
  }

  function remove(field: FieldDefinition) {
    const label = labelOf(field.labels, language, field.name);
    void modal.confirm({
      title: t('designer.deleteField.title', { label }),
      content: <span data-testid="delete-field-notice">{t('designer.deleteField.notice', { days: defaultRetentionDays })}</span>,
      okText: t('designer.deleteField.confirm'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => run(() => deleteFieldDefinition(object.name, field.name), t('designer.deleteField.done', { label })),
    });
  }

  const deleted = (object.deletedFields ?? []).filter((entry) => (entry.reason ?? 'deleted') === 'deleted');
  const restorableUntil = (deletedAt: string) => new Date(Date.parse(deletedAt) + defaultRetentionDays * 86_400_000).toLocaleDateString(language);

  return (
    <section aria-labelledby="fields-title" style={{ marginTop: 32 }}>
      <Flex justify="space-between" align="center" wrap gap="small" style={{ marginBottom: 12 }}>
        <Typography.Title level={3} id="fields-title" style={{ margin: 0, fontSize: 18 }}>
          {t('designer.fieldsTitle')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="add-field">
          {t('designer.addField')}
        </Button>
      </Flex>
      <Table<FieldDefinition>
        rowKey="name"
        dataSource={object.fields}
        pagination={false}
        loading={busy}
        size="small"
        scroll={{ x: 'max-content' }}
        data-testid="field-table"
        columns={[
          {
            key: 'label',
            title: t('designer.field.label'),
            render: (_, field) => (
              <Space size={4}>
                <span>{labelOf(field.labels, language, field.name)}</span>
                {field.name === object.titleField && <Tag color="blue">{t('designer.object.titleField')}</Tag>}
              </Space>
            ),
          },
          { key: 'name', title: t('designer.field.name'), render: (_, field) => <Typography.Text code>{field.name}</Typography.Text> },
          { key: 'type', title: t('designer.field.type'), render: (_, field) => t(`designer.types.${field.type}`, { defaultValue: field.type }) },
          { key: 'required', title: t('designer.options.required'), render: (_, field) => ('required' in field && field.required === true ? t('common.yes') : '') },
          {
            key: 'actions',
            title: <span className="daicho-visually-hidden">{t('designer.actions')}</span>,
            render: (_, field, index) => {
              const label = labelOf(field.labels, language, field.name);
              return (
                <Space size={4}>
                  <Tooltip title={t('designer.moveUp')}>
                    <Button size="small" icon={<ArrowUpOutlined />} aria-label={t('designer.moveFieldUp', { label })} disabled={index === 0 || busy} onClick={() => move(index, -1)} />
                  </Tooltip>
                  <Tooltip title={t('designer.moveDown')}>
                    <Button size="small" icon={<ArrowDownOutlined />} aria-label={t('designer.moveFieldDown', { label })} disabled={index === object.fields.length - 1 || busy} onClick={() => move(index, 1)} />
                  </Tooltip>
                  <Tooltip title={t('designer.edit')}>
                    <Button size="small" icon={<EditOutlined />} aria-label={t('designer.editField', { label })} onClick={() => setEditing({ field })} data-testid={`edit-field-${field.name}`} />
                  </Tooltip>
                  <Tooltip title={t('designer.remove')}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('designer.deleteField.title', { label })} disabled={busy} onClick={() => remove(field)} data-testid={`delete-field-${field.name}`} />
                  </Tooltip>
                </Space>
              );
            },
          },
        ]}
      />
      {deleted.length > 0 && (
        <section aria-labelledby="deleted-fields-title" style={{ marginTop: 24 }} data-testid="deleted-fields">
          <Typography.Title level={4} id="deleted-fields-title" style={{ fontSize: 16 }}>
            {t('designer.deletedFields')}
          </Typography.Title>
          <ul style={{ paddingLeft: 16 }}>
            {deleted.map((entry) => {
              const label = labelOf(entry.field.labels, language, entry.field.name);
              return (
                <li key={`${entry.field.name}-${entry.deletedAt}`} style={{ marginBottom: 8 }}>
                  <Flex gap="small" align="center" wrap>
                    <span>
                      {label} <Typography.Text code>{entry.field.name}</Typography.Text>{' '}
                      <Typography.Text type="secondary">{t('designer.restorableUntil', { date: restorableUntil(entry.deletedAt) })}</Typography.Text>
                    </span>
                    <Button
                      size="small"
                      icon={<UndoOutlined />}
                      disabled={busy || object.fields.some((field) => field.name === entry.field.name)}
                      onClick={() => void run(() => restoreFieldDefinition(object.name, entry.field.name), t('designer.restored', { label }))}
                      data-testid={`restore-field-${entry.field.name}`}
                    >
                      {t('designer.restore')}
                    </Button>
                  </Flex>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <FieldDrawer
        open={editing !== undefined}
        object={object}
        objects={objects.data ?? []}
        field={editing?.field}
        onClose={() => setEditing(undefined)}
        onSaved={(saved) => {
          onSaved(saved);
          setEditing(undefined);
        }}
      />
    </section>
  );
}
