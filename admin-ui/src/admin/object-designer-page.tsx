import { ArrowLeftOutlined } from '@ant-design/icons';
import type { ObjectDefinition, RecordSharing } from '@daicho/sdk';
import { Alert, Button, Flex, Form, Input, Select, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, createObjectDefinition, errorMessageKey, replaceObjectDefinition, type DesignedObject } from '../api/index.ts';
import { useLanguage } from '../i18n/index.ts';
import { labelOf } from '../workspace/index.ts';
import { definitionProblemsOf, placeProblems, type ItemPath } from './definition-problems.ts';
import { objectNamePattern, pruneEmpty, suggestObjectName } from './field-schema.ts';
import { FieldsSection } from './fields-section.tsx';
import { RequireDesigner } from './require-designer.tsx';
import { useDefinitionSaved, useDesignedObject } from './use-designed-objects.ts';

/** The object part of the designer's form. */
interface ObjectFormValues {
  name: string;
  labels: { ja?: string; en?: string };
  pluralLabels?: { ja?: string; en?: string };
  description?: { ja?: string; en?: string };
  titleField?: string;
  searchFields?: string[];
  sharing: RecordSharing;
}

const objectItems: ItemPath[] = [
  ['name'], ['labels', 'en'], ['labels', 'ja'], ['pluralLabels', 'en'], ['pluralLabels', 'ja'], ['description', 'en'], ['description', 'ja'], ['titleField'], ['searchFields'], ['sharing'],
];
const sharings: RecordSharing[] = ['private', 'read', 'readWrite'];

/** `/admin/objects/new` and `/admin/objects/:name`: an object's names, labels and sharing, then its fields. */
export function ObjectDesignerPage() {
  return (
    <RequireDesigner>
      <ObjectDesigner />
    </RequireDesigner>
  );
}

function formValuesOf(object: ObjectDefinition): ObjectFormValues {
  return {
    name: object.name,
    labels: object.labels,
    pluralLabels: object.pluralLabels ?? {},
    description: object.description ?? {},
    ...(object.titleField !== undefined ? { titleField: object.titleField } : {}),
    searchFields: object.searchFields ?? [],
    sharing: object.sharing ?? 'private',
  };
}

function ObjectDesigner() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const params = useParams();
  const navigate = useNavigate();
  const name = params.name;
  const isNew = name === undefined;
  const designed = useDesignedObject(name);
  const saved = useDefinitionSaved();
  const [form] = Form.useForm<ObjectFormValues>();
  const [failure, setFailure] = useState<string[] | undefined>();
  const [conflict, setConflict] = useState<DesignedObject | undefined>();
  const [busy, setBusy] = useState(false);
  const [nameTouched, setNameTouched] = useState(false);
  const current = designed.data;

  useEffect(() => {
    if (current !== undefined) form.setFieldsValue(formValuesOf(current.object));
  }, [current, form]);

  function showFailure(error: unknown) {
    if (error instanceof ApiError && error.code === 'PRECONDITION_FAILED') {
      const latest = (error.details as { current?: { object: ObjectDefinition; version: number } } | undefined)?.current;
      if (latest !== undefined) setConflict({ object: latest.object, version: latest.version, etag: `"${latest.version}"` });
    }
    const problems = error instanceof ApiError ? definitionProblemsOf(error.details) : [];
    const placed = placeProblems(problems, objectItems, t);
    form.setFields(placed.items.map((item) => ({ name: item.name as never, errors: item.errors })));
    setFailure([t(errorMessageKey(error)), ...placed.rest]);
  }

  async function save() {
    setFailure(undefined);
    form.setFields(objectItems.map((item) => ({ name: item as never, errors: [] })));
    const values = form.getFieldsValue(true) as ObjectFormValues;
    setBusy(true);
    try {
      if (isNew) {
        const created = await createObjectDefinition({ ...(pruneEmpty(values) as ObjectFormValues), fields: [] });
        saved(created);
        await navigate(`/admin/objects/${encodeURIComponent(created.object.name)}`, { replace: true });
      } else if (current !== undefined) {
        const { deletedFields: _kept, ...editable } = current.object;
        const next = { ...editable, ...(pruneEmpty({ ...values, name: current.object.name }) as ObjectFormValues), fields: editable.fields };
        // A cleared choice removes the property rather than leaving the old one.
        if (values.titleField === undefined) delete next.titleField;
        if ((values.searchFields ?? []).length === 0) delete next.searchFields;
        if (Object.keys(pruneEmpty(values.pluralLabels ?? {}) as object).length === 0) delete next.pluralLabels;
        if (Object.keys(pruneEmpty(values.description ?? {}) as object).length === 0) delete next.description;
        saved(await replaceObjectDefinition(next as ObjectDefinition, current.etag));
      }
    } catch (error) {
      showFailure(error);
    } finally {
      setBusy(false);
    }
  }

  if (!isNew && designed.isPending) return <Spin />;
  if (!isNew && designed.isError) return <Alert type="error" showIcon title={t(errorMessageKey(designed.error))} />;

  const fieldChoices = (current?.object.fields ?? []).map((field) => ({ value: field.name, label: `${labelOf(field.labels, language, field.name)} (${field.name})` }));
  const title = isNew ? t('designer.newObject') : labelOf(current?.object.labels, language, name);

  return (
    <>
      <Flex align="center" gap="small" style={{ marginBottom: 16 }} wrap>
        <Link to="/admin/objects" aria-label={t('designer.objectsTitle')}>
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title level={2} style={{ margin: 0 }} data-testid="designer-title">
          {title}
        </Typography.Title>
        {!isNew && (
          <Link to={`/o/${encodeURIComponent(name)}`} data-testid="open-records">
            {t('designer.openRecords')}
          </Link>
        )}
      </Flex>
      {conflict !== undefined && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="definition-conflict"
          title={t('designer.conflict.title')}
          description={t('designer.conflict.description', { version: conflict.version })}
          action={
            <Button
              onClick={() => {
                saved(conflict);
                setConflict(undefined);
                setFailure(undefined);
              }}
            >
              {t('designer.conflict.reload')}
            </Button>
          }
        />
      )}
      {failure !== undefined && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="object-error" title={failure[0]} description={failure.length > 1 ? failure.slice(1).map((text) => <div key={text}>{text}</div>) : undefined} />
      )}
      <Form<ObjectFormValues> form={form} layout="vertical" name="object" initialValues={{ sharing: 'private', labels: {} }} onFinish={() => void save()} style={{ maxWidth: 720 }}>
        <Flex gap="middle" wrap>
          <Form.Item name={['labels', 'en']} label={t('designer.labelEn')} style={{ flex: '1 1 220px' }}>
            <Input
              lang="en"
              data-testid="object-label-en"
              onChange={(event) => {
                if (isNew && !nameTouched) form.setFieldValue('name', suggestObjectName(event.target.value));
              }}
            />
          </Form.Item>
          <Form.Item name={['labels', 'ja']} label={t('designer.labelJa')} style={{ flex: '1 1 220px' }}>
            <Input lang="ja" data-testid="object-label-ja" />
          </Form.Item>
        </Flex>
        <Flex gap="middle" wrap>
          <Form.Item name={['pluralLabels', 'en']} label={t('designer.pluralLabelEn')} style={{ flex: '1 1 220px' }}>
            <Input lang="en" data-testid="object-plural-en" />
          </Form.Item>
          <Form.Item name={['pluralLabels', 'ja']} label={t('designer.pluralLabelJa')} style={{ flex: '1 1 220px' }}>
            <Input lang="ja" data-testid="object-plural-ja" />
          </Form.Item>
        </Flex>
        <Form.Item
          name="name"
          label={t('designer.object.name')}
          required
          extra={isNew ? t('designer.object.nameHelp') : t('designer.immutable')}
          rules={isNew ? [{ pattern: objectNamePattern, message: t('designer.problems.namePattern'), validateTrigger: 'onBlur' }] : []}
          validateTrigger="onBlur"
        >
          <Input disabled={!isNew} data-testid="object-name" spellCheck={false} autoComplete="off" onChange={() => setNameTouched(true)} />
        </Form.Item>
        <Form.Item name="sharing" label={t('designer.object.sharing')} extra={t('designer.sharingHelp')}>
          <Select data-testid="object-sharing" options={sharings.map((value) => ({ value, label: t(`designer.sharing.${value}`) }))} />
        </Form.Item>
        {!isNew && (
          <Flex gap="middle" wrap>
            <Form.Item name="titleField" label={t('designer.object.titleField')} style={{ flex: '1 1 220px' }}>
              <Select allowClear options={fieldChoices} data-testid="object-title-field" />
            </Form.Item>
            <Form.Item name="searchFields" label={t('designer.object.searchFields')} style={{ flex: '1 1 220px' }}>
              <Select mode="multiple" allowClear options={fieldChoices} data-testid="object-search-fields" />
            </Form.Item>
          </Flex>
        )}
        <Flex gap="middle" wrap>
          <Form.Item name={['description', 'en']} label={t('designer.descriptionEn')} style={{ flex: '1 1 220px' }}>
            <Input.TextArea rows={2} lang="en" />
          </Form.Item>
          <Form.Item name={['description', 'ja']} label={t('designer.descriptionJa')} style={{ flex: '1 1 220px' }}>
            <Input.TextArea rows={2} lang="ja" />
          </Form.Item>
        </Flex>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="save-object">
          {isNew ? t('designer.createObject') : t('common.save')}
        </Button>
      </Form>
      {!isNew && current !== undefined && <FieldsSection designed={current} onSaved={saved} onFailure={showFailure} />}
    </>
  );
}
