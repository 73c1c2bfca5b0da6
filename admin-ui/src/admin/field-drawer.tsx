import type { FieldDefinition, FieldType, ObjectDefinition, PicklistValue } from '@daicho/sdk';
import Form from '@rjsf/antd';
import type { ErrorSchema } from '@rjsf/utils';
import { Alert, App as AntApp, Button, Drawer, Flex, Form as AntForm, Input, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addFieldDefinition, ApiError, errorMessageKey, previewFieldChange, replaceFieldDefinition, type DesignedObject, type FieldChangePreview } from '../api/index.ts';
import { useLanguage } from '../i18n/index.ts';
import { formValidator, labelOf } from '../workspace/index.ts';

import { definitionProblemsOf, placeProblems, pointerSegments, type ItemPath } from './definition-problems.ts';
import { designableTypes, optionsSchema, optionsUiSchema, optionValuesOf, previewAutoNumber, pruneEmpty, suggestFieldName, typeHas } from './field-schema.ts';
import { PicklistValuesEditor } from './picklist-values-editor.tsx';

/** What {@link FieldDrawer} edits: a new field of `object` (no `field`) or an existing one. */
export interface FieldDrawerProps {
  open: boolean;
  object: ObjectDefinition;
  /** Every object, for lookup targets and roll-up children. */
  objects: ObjectDefinition[];
  field?: FieldDefinition | undefined;
  onClose: () => void;
  onSaved: (saved: DesignedObject) => void;
}

/** The hand-crafted part of the field form, as Ant Design form values. */
interface FieldFormValues {
  name: string;
  type: FieldType;
  labels: { ja?: string; en?: string };
  help?: { ja?: string; en?: string };
  values?: PicklistValue[];
  target?: string;
  expression?: string;
  format?: string;
  childObject?: string;
  relationshipField?: string;
  aggregateField?: string;
  filter?: string;
}

/** The form items the hand-crafted part has, where server problems can land. */
const formItems: ItemPath[] = [
  ['name'], ['type'], ['labels', 'ja'], ['labels', 'en'], ['help', 'ja'], ['help', 'en'], ['values'], ['target'], ['expression'], ['format'],
  ['childObject'], ['relationshipField'], ['aggregateField'], ['filter'],
];

const relationTypes = new Set<FieldType>(['lookup', 'masterDetail']);

function initialValues(field: FieldDefinition | undefined): FieldFormValues {
  if (field === undefined) return { name: '', type: 'text', labels: {} };
  const record = field as unknown as Record<string, unknown>;
  return {
    name: field.name,
    type: field.type,
    labels: field.labels,
    ...(field.help ? { help: field.help } : {}),
    ...(Array.isArray(record.values) ? { values: record.values as PicklistValue[] } : {}),
    ...(typeof record.target === 'string' ? { target: record.target } : {}),
    ...(typeof record.expression === 'string' ? { expression: record.expression } : {}),
    ...(typeof record.format === 'string' ? { format: record.format } : {}),
    ...(typeof record.childObject === 'string' ? { childObject: record.childObject } : {}),
    ...(typeof record.relationshipField === 'string' ? { relationshipField: record.relationshipField } : {}),
    ...(typeof record.aggregateField === 'string' ? { aggregateField: record.aggregateField } : {}),
    ...(record.filter !== undefined ? { filter: JSON.stringify(record.filter, null, 2) } : {}),
  };
}

/**
 * Adds or edits one field in a drawer. Name, type, labels and help, picklist values, relations,
 * expressions and auto-number formats have their own controls; every other option of the type is a
 * form generated from the type's meta-schema. A type change is previewed (how many values convert)
 * before it is applied.
 */
export function FieldDrawer({ open, object, objects, field, onClose, onSaved }: FieldDrawerProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { modal } = AntApp.useApp();
  const [form] = AntForm.useForm<FieldFormValues>();
  const isNew = field === undefined;
  const type = (AntForm.useWatch('type', form) ?? field?.type ?? 'text') as FieldType;
  const childObject = AntForm.useWatch('childObject', form) as string | undefined;
  const format = AntForm.useWatch('format', form) as string | undefined;
  const [options, setOptions] = useState<Record<string, unknown>>({});
  const [optionErrors, setOptionErrors] = useState<ErrorSchema | undefined>();
  const [failure, setFailure] = useState<string[] | undefined>();
  const [busy, setBusy] = useState(false);
  const [nameTouched, setNameTouched] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(initialValues(field));
    setOptions(field ? optionValuesOf(field, field.type) : {});
    setOptionErrors(undefined);
    setFailure(undefined);
    setNameTouched(!isNew);
  }, [open, field, form, isNew]);

  const typeOptions = useMemo(() => designableTypes().map((value) => ({ value, label: t(`designer.types.${value}`, { defaultValue: value }) })), [t]);
  const objectLabel = (candidate: ObjectDefinition) => `${labelOf(candidate.labels, language, candidate.name)} (${candidate.name})`;
  const targetOptions = [
    ...objects.map((candidate) => ({ value: candidate.name, label: objectLabel(candidate) })),
    ...(objects.some((candidate) => candidate.name === object.name) ? [] : [{ value: object.name, label: objectLabel(object) }]),
    { value: 'user', label: `${t('designer.userObject')} (user)` },
  ];
  const pointsHere = (candidate: FieldDefinition) => relationTypes.has(candidate.type) && (candidate as { target?: string }).target === object.name;
  const children = objects.filter((candidate) => candidate.fields.some(pointsHere));
  const child = objects.find((candidate) => candidate.name === childObject);
  const fieldOptions = (fields: FieldDefinition[]) => fields.map((candidate) => ({ value: candidate.name, label: `${labelOf(candidate.labels, language, candidate.name)} (${candidate.name})` }));

  const schema = useMemo(() => optionsSchema(type), [type]);
  const uiSchema = useMemo(() => optionsUiSchema(type, t), [type, t]);

  function changeType(next: FieldType) {
    // Options that the new type also has are kept; the others would be refused.
    setOptions((current) => optionValuesOf(current as Partial<FieldDefinition>, next));
    setOptionErrors(undefined);
  }

  function buildField(values: FieldFormValues): FieldDefinition | undefined {
    let filter: unknown;
    if (typeHas(values.type, 'filter') && values.filter !== undefined && values.filter.trim() !== '') {
      try {
        filter = JSON.parse(values.filter);
      } catch {
        form.setFields([{ name: 'filter', errors: [t('designer.problems.json')] }]);
        return undefined;
      }
    }
    const own: Record<string, unknown> = {
      name: values.name,
      type: values.type,
      labels: values.labels,
      help: values.help,
      ...options,
    };
    for (const key of ['values', 'target', 'expression', 'format', 'childObject', 'relationshipField', 'aggregateField'] as const) {
      if (typeHas(values.type, key)) own[key] = values[key];
    }
    if (filter !== undefined) own.filter = filter;
    const cleaned = pruneEmpty(own) as Record<string, unknown>;
    // Keep what the platform assigned, so the server recognises the field.
    if (field?.id !== undefined) cleaned.id = field.id;
    if (field?.column !== undefined && field.type === values.type) cleaned.column = field.column;
    return cleaned as unknown as FieldDefinition;
  }

  function showProblems(error: unknown) {
    if (!(error instanceof ApiError)) {
      setFailure([t(errorMessageKey(error))]);
      return;
    }
    if (error.code === 'CONFLICT' && isNew) {
      form.setFields([{ name: 'name', errors: [t('designer.problems.duplicateName')] }]);
      setFailure([t(errorMessageKey(error))]);
      return;
    }
    const problems = definitionProblemsOf(error.details);
    const optionNames = new Set(Object.keys(schema.properties ?? {}));
    const onOptions = problems.filter((problem) => optionNames.has(String(pointerSegments(problem.path)[0])));
    const elsewhere = problems.filter((problem) => !onOptions.includes(problem));
    const placed = placeProblems(elsewhere, formItems, t);
    form.setFields(placed.items.map((item) => ({ name: item.name as never, errors: item.errors })));
    const errorSchema: ErrorSchema = {};
    for (const item of placeProblems(onOptions, [...optionNames].map((name) => [name]), t).items) {
      (errorSchema as Record<string, unknown>)[String(item.name[0])] = { __errors: item.errors };
    }
    setOptionErrors(onOptions.length > 0 ? errorSchema : undefined);
    setFailure([t(errorMessageKey(error)), ...placed.rest]);
  }

  async function confirmTypeChange(preview: FieldChangePreview): Promise<boolean> {
    const report = preview.conversions[0]?.report;
    return modal.confirm({
      title: t('designer.typeChange.title'),
      okText: t('designer.typeChange.apply'),
      cancelText: t('common.cancel'),
      content: (
        <div data-testid="type-change-preview">
          {report === undefined || report.total === 0 ? (
            <Typography.Paragraph>{t('designer.typeChange.noValues')}</Typography.Paragraph>
          ) : (
            <>
              <Typography.Paragraph>{t('designer.typeChange.summary', { total: report.total, converted: report.converted, unconvertible: report.unconvertible })}</Typography.Paragraph>
              {report.unconvertible > 0 && <Typography.Paragraph type="warning">{t('designer.typeChange.kept')}</Typography.Paragraph>}
              {report.samples.length > 0 && (
                <ul>
                  {report.samples.map((sample) => (
                    <li key={sample.id}>
                      <Typography.Text code>{sample.value ?? '∅'}</Typography.Text>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      ),
    });
  }

  async function save() {
    setFailure(undefined);
    setOptionErrors(undefined);
    const values = form.getFieldsValue(true) as FieldFormValues;
    form.setFields(formItems.map((name) => ({ name: name as never, errors: [] })));
    const next = buildField(values);
    if (next === undefined) return;
    setBusy(true);
    try {
      if (isNew) {
        onSaved(await addFieldDefinition(object.name, next));
      } else {
        if (next.type !== field.type) {
          const preview = await previewFieldChange(object.name, next);
          if (!(await confirmTypeChange(preview))) return;
        }
        onSaved(await replaceFieldDefinition(object.name, next));
      }
    } catch (error) {
      showProblems(error);
    } finally {
      setBusy(false);
    }
  }

  const autoNumberPreview = format === undefined || format === '' ? undefined : previewAutoNumber(format, Number(options.startAt ?? 1), new Date());

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      styles={{ wrapper: { maxWidth: '100vw' } }}
      title={isNew ? t('designer.field.newTitle') : t('designer.field.editTitle', { name: field.name })}
      destroyOnHidden
      footer={
        <Flex justify="end" gap="small">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="save-field">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <div data-testid="field-drawer">
        {failure !== undefined && failure.length > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="field-error" title={failure[0]} description={failure.length > 1 ? failure.slice(1).map((text) => <div key={text}>{text}</div>) : undefined} />
        )}
        <AntForm<FieldFormValues> form={form} layout="vertical" name="field" onFinish={() => void save()}>
          <AntForm.Item name="type" label={t('designer.field.type')} required>
            <Select options={typeOptions} showSearch={{ optionFilterProp: 'label' }} onChange={changeType} data-testid="field-type" />
          </AntForm.Item>
          <Flex gap="middle" wrap>
            <AntForm.Item name={['labels', 'en']} label={t('designer.labelEn')} style={{ flex: '1 1 200px' }}>
              <Input
                lang="en"
                data-testid="field-label-en"
                onChange={(event) => {
                  if (isNew && !nameTouched) form.setFieldValue('name', suggestFieldName(event.target.value));
                }}
              />
            </AntForm.Item>
            <AntForm.Item name={['labels', 'ja']} label={t('designer.labelJa')} style={{ flex: '1 1 200px' }}>
              <Input lang="ja" data-testid="field-label-ja" />
            </AntForm.Item>
          </Flex>
          <AntForm.Item name="name" label={t('designer.field.name')} extra={isNew ? t('designer.field.nameHelp') : t('designer.immutable')} required>
            <Input disabled={!isNew} data-testid="field-name" onChange={() => setNameTouched(true)} spellCheck={false} autoComplete="off" />
          </AntForm.Item>

          {typeHas(type, 'values') && (
            <AntForm.Item name="values" label={t('designer.picklist.title')} required>
              <PicklistValuesEditor lockedValues={new Set(isNew ? [] : (((field as { values?: PicklistValue[] }).values ?? []).map((value) => value.value)))} />
            </AntForm.Item>
          )}
          {typeHas(type, 'target') && (
            <AntForm.Item name="target" label={t('designer.field.target')} required extra={isNew ? undefined : t('designer.immutable')}>
              <Select options={targetOptions} showSearch={{ optionFilterProp: 'label' }} data-testid="field-target" />
            </AntForm.Item>
          )}
          {typeHas(type, 'childObject') && (
            <>
              <AntForm.Item name="childObject" label={t('designer.field.childObject')} required extra={children.length === 0 ? t('designer.field.noChildren') : undefined}>
                <Select options={children.map((candidate) => ({ value: candidate.name, label: objectLabel(candidate) }))} data-testid="field-child-object" />
              </AntForm.Item>
              <AntForm.Item name="relationshipField" label={t('designer.field.relationshipField')} required>
                <Select options={fieldOptions(child?.fields.filter(pointsHere) ?? [])} data-testid="field-relationship" />
              </AntForm.Item>
              <AntForm.Item name="aggregateField" label={t('designer.field.aggregateField')}>
                <Select allowClear options={fieldOptions(child?.fields ?? [])} data-testid="field-aggregate" />
              </AntForm.Item>
              <AntForm.Item name="filter" label={t('designer.field.filter')} extra={t('designer.field.filterHelp')}>
                <Input.TextArea rows={3} spellCheck={false} style={{ fontFamily: 'monospace' }} />
              </AntForm.Item>
            </>
          )}
          {typeHas(type, 'expression') && (
            <AntForm.Item name="expression" label={t('designer.field.expression')} required extra={t('designer.field.expressionHelp')}>
              <Input.TextArea rows={4} spellCheck={false} style={{ fontFamily: 'monospace' }} data-testid="field-expression" />
            </AntForm.Item>
          )}
          {typeHas(type, 'format') && (
            <AntForm.Item
              name="format"
              label={t('designer.field.format')}
              required
              extra={
                <Space direction="vertical" size={0}>
                  <span>{t('designer.field.formatHelp')}</span>
                  <span data-testid="auto-number-preview">
                    {autoNumberPreview === undefined ? (format ? t('designer.problems.autoNumberFormat') : '') : t('designer.field.formatPreview', { example: autoNumberPreview })}
                  </span>
                </Space>
              }
            >
              <Input spellCheck={false} placeholder="Q-{YYYY}-{0000}" data-testid="field-format" />
            </AntForm.Item>
          )}
          <Flex gap="middle" wrap>
            <AntForm.Item name={['help', 'en']} label={t('designer.helpEn')} style={{ flex: '1 1 200px' }}>
              <Input.TextArea rows={2} lang="en" />
            </AntForm.Item>
            <AntForm.Item name={['help', 'ja']} label={t('designer.helpJa')} style={{ flex: '1 1 200px' }}>
              <Input.TextArea rows={2} lang="ja" />
            </AntForm.Item>
          </Flex>
        </AntForm>
        <Typography.Title level={3} style={{ fontSize: 16 }}>
          {t('designer.field.options')}
        </Typography.Title>
        <div data-testid="field-options">
          <Form
            key={type}
            tagName="div"
            schema={schema}
            uiSchema={uiSchema}
            formData={options}
            validator={formValidator}
            noValidate
            noHtml5Validate
            showErrorList={false}
            extraErrors={optionErrors}
            idPrefix="option"
            experimental_defaultFormStateBehavior={{ emptyObjectFields: 'skipDefaults' }}
            onChange={(event) => setOptions((event.formData ?? {}) as Record<string, unknown>)}
            disabled={busy}
          />
        </div>
      </div>
    </Drawer>
  );
}
