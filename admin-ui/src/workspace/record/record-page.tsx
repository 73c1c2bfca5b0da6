import { EditOutlined } from '@ant-design/icons';
import type { ObjectDefinition } from '@daicho/sdk';
import Form from '@rjsf/antd';
import type { ErrorSchema } from '@rjsf/utils';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Breadcrumb, Button, Card, Descriptions, Flex, Result, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, createRecord, errorMessageKey, getRecord, updateRecord, type RecordData, type VersionedRecord } from '../../api/index.ts';
import { useLanguage } from '../../i18n/index.ts';
import { useSignedInUser } from '../../session/index.ts';
import { formatValue } from '../format-value.ts';
import { labelOf } from '../labels.ts';
import { fieldAccessOf, may, useWorkspaceMeta } from '../use-workspace-meta.ts';
import { ConflictDialog } from './conflict-dialog.tsx';
import { formValidator } from './form-validator.ts';
import { buildRecordForm, changedValues, problemsOf, toErrorSchema, toFormData } from './record-schema.ts';

/** A record: `/o/:object/:id` to view and edit, `/o/:object/new` to create. */
export function RecordPage() {
  const { object = '', id = 'new' } = useParams();
  const meta = useWorkspaceMeta();
  const { t } = useTranslation();
  const definition = meta.data?.objects.find((candidate) => candidate.name === object);
  if (meta.isPending) return <Card loading />;
  if (definition === undefined) return <Result status="404" title={t('errors.NOT_FOUND')} />;
  return id === 'new' ? <RecordEditor key="new" definition={definition} /> : <ExistingRecord key={id} definition={definition} id={id} />;
}

function ExistingRecord({ definition, id }: { definition: ObjectDefinition; id: string }) {
  const { t } = useTranslation();
  const loaded = useQuery({ queryKey: ['record', definition.name, id], queryFn: ({ signal }) => getRecord(definition.name, id, signal), retry: false });
  if (loaded.isPending) return <Card loading />;
  if (loaded.isError) return <Alert type="error" showIcon title={t(errorMessageKey(loaded.error))} />;
  return <RecordEditor definition={definition} existing={loaded.data} />;
}

interface PendingConflict {
  mine: Record<string, unknown>;
  current: RecordData;
}

function RecordEditor({ definition, existing }: { definition: ObjectDefinition; existing?: VersionedRecord }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const me = useSignedInUser();
  const meta = useWorkspaceMeta();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const access = meta.data?.access.objects[definition.name];
  const isNew = existing === undefined;
  const form = useMemo(() => buildRecordForm(definition, access, language, t, isNew), [definition, access, language, t, isNew]);
  const [saved, setSaved] = useState<VersionedRecord | undefined>(existing);
  const [editing, setEditing] = useState(isNew);
  const [data, setData] = useState<Record<string, unknown>>(() => (isNew ? {} : toFormData(existing?.record, form)));
  const [extraErrors, setExtraErrors] = useState<ErrorSchema | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [conflict, setConflict] = useState<PendingConflict | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const context = { language, timeZone: me.timeZone };
  const canEdit = isNew ? may(access, 'create') : may(access, 'update') && form.editable.length > 0;
  const objectLabel = labelOf(definition.labels, language, definition.name);
  const listPath = `/o/${encodeURIComponent(definition.name)}`;
  const titleValue = saved && definition.titleField ? saved.record[definition.titleField] : undefined;
  const title = isNew ? t('record.newTitle', { object: objectLabel }) : typeof titleValue === 'string' && titleValue !== '' ? titleValue : objectLabel;

  function afterSave(result: VersionedRecord) {
    setSaved(result);
    setData(toFormData(result.record, form));
    setExtraErrors(undefined);
    setFailure(undefined);
    setConflict(undefined);
    setEditing(false);
    queryClient.setQueryData(['record', definition.name, result.record.id], result);
    void queryClient.invalidateQueries({ queryKey: ['records', definition.name] });
  }

  function fail(error: unknown, mine: Record<string, unknown>) {
    if (error instanceof ApiError && (error.code === 'PRECONDITION_FAILED' || error.code === 'VERSION_CONFLICT')) {
      const current = (error.details as { current?: RecordData } | undefined)?.current;
      if (current !== undefined) {
        setConflict({ mine, current });
        return;
      }
    }
    const problems = error instanceof ApiError ? problemsOf(error.details) : [];
    setExtraErrors(problems.length > 0 ? toErrorSchema(problems, definition, t) : undefined);
    setFailure(error);
  }

  async function save(values: Record<string, unknown>, etag?: string) {
    const changes = changedValues(form, values, saved?.record);
    if (!isNew && Object.keys(changes).length === 0) {
      setEditing(false);
      return;
    }
    setBusy(true);
    try {
      if (saved === undefined) {
        const created = await createRecord(definition.name, changes);
        queryClient.setQueryData(['record', definition.name, created.record.id], created);
        void queryClient.invalidateQueries({ queryKey: ['records', definition.name] });
        void message.success(t('record.created'));
        await navigate(`${listPath}/${encodeURIComponent(created.record.id)}`, { replace: true });
        return;
      }
      afterSave(await updateRecord(definition.name, saved.record.id, changes, etag ?? saved.etag));
      void message.success(t('record.saved'));
    } catch (error) {
      fail(error, changes);
    } finally {
      setBusy(false);
    }
  }

  const view = saved && !editing && (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2 }}
      data-testid="record-view"
      items={definition.fields
        .filter((field) => fieldAccessOf(field, access) !== 'none')
        .map((field) => ({
          key: field.name,
          label: labelOf(field.labels, language, field.name),
          children: <span data-testid={`value-${field.name}`}>{formatValue(field, saved.record[field.name], context)}</span>,
        }))}
    />
  );

  return (
    <Flex vertical gap="middle">
      <Breadcrumb items={[{ title: <Link to={listPath}>{labelOf(definition.pluralLabels ?? definition.labels, language, definition.name)}</Link> }, { title }]} />
      <Card
        title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18 }} data-testid="record-title">{title}</Typography.Title>}
        extra={
          saved && !editing && canEdit ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-record">
              {t('record.edit')}
            </Button>
          ) : undefined
        }
      >
        {failure !== undefined && <Alert type="error" showIcon title={t(errorMessageKey(failure))} style={{ marginBottom: 16 }} data-testid="record-error" />}
        {view}
        {editing && (
          <Form
            schema={form.schema}
            uiSchema={form.uiSchema}
            formData={data}
            validator={formValidator}
            noValidate
            noHtml5Validate
            showErrorList={false}
            extraErrors={extraErrors}
            idPrefix="field"
            onChange={(event) => setData(event.formData as Record<string, unknown>)}
            onSubmit={(event) => void save(event.formData as Record<string, unknown>)}
            disabled={busy}
          >
            <Flex gap="small" justify="end">
              {!isNew && (
                <Button
                  onClick={() => {
                    setEditing(false);
                    setData(toFormData(saved?.record, form));
                    setExtraErrors(undefined);
                    setFailure(undefined);
                  }}
                >
                  {t('common.cancel')}
                </Button>
              )}
              <Button type="primary" htmlType="submit" loading={busy} data-testid="save-record">
                {t('common.save')}
              </Button>
            </Flex>
          </Form>
        )}
      </Card>
      {conflict && saved && (
        <ConflictDialog
          definition={definition}
          mine={conflict.mine}
          current={conflict.current}
          context={context}
          busy={busy}
          onCancel={() => setConflict(undefined)}
          onReload={() => {
            afterSave({ record: conflict.current, etag: `"${conflict.current.version}"` });
            void message.info(t('conflict.reloaded'));
          }}
          onOverwrite={() => {
            const { mine, current } = conflict;
            setConflict(undefined);
            // Overwrites exactly the version the user has just seen, never a newer one.
            setSaved({ record: { ...current }, etag: `"${current.version}"` });
            void (async () => {
              setBusy(true);
              try {
                afterSave(await updateRecord(definition.name, current.id, mine, `"${current.version}"`));
                void message.success(t('record.saved'));
              } catch (error) {
                fail(error, mine);
              } finally {
                setBusy(false);
              }
            })();
          }}
        />
      )}
    </Flex>
  );
}
