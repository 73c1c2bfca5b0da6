import type { ObjectDefinition } from '@daicho/sdk';
import { Alert, Button, Modal, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RecordData } from '../../api/index.ts';
import { useLanguage } from '../../i18n/index.ts';
import { formatValue, type FormatContext } from '../format-value.ts';
import { labelOf } from '../labels.ts';

interface ConflictDialogProps {
  definition: ObjectDefinition;
  /** The changes the user tried to save. */
  mine: Record<string, unknown>;
  /** The record as the server has it now (`details.current` of the 412). */
  current: RecordData;
  context: FormatContext;
  busy: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onCancel: () => void;
}

/**
 * Someone saved the record after this user opened it: shows, per field the user changed, their
 * value next to the one now stored, and lets them take the stored version or overwrite it.
 * Nothing is overwritten without that explicit choice.
 */
export function ConflictDialog({ definition, mine, current, context, busy, onReload, onOverwrite, onCancel }: ConflictDialogProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const rows = Object.keys(mine).flatMap((name) => {
    const field = definition.fields.find((candidate) => candidate.name === name);
    if (field === undefined) return [];
    return [{ key: name, field: labelOf(field.labels, language, name), mine: formatValue(field, mine[name], context), theirs: formatValue(field, current[name], context) }];
  });
  return (
    <Modal
      open
      title={t('conflict.title')}
      onCancel={onCancel}
      width={640}
      footer={[
        <Button key="reload" onClick={onReload} data-testid="conflict-reload">
          {t('conflict.reload')}
        </Button>,
        <Button key="overwrite" danger type="primary" loading={busy} onClick={onOverwrite} data-testid="conflict-overwrite">
          {t('conflict.overwrite')}
        </Button>,
      ]}
    >
      <div data-testid="conflict-dialog">
      <Alert type="warning" showIcon title={t('errors.PRECONDITION_FAILED')} style={{ marginBottom: 16 }} />
      <Table
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'field', dataIndex: 'field', title: t('conflict.field') },
          { key: 'mine', dataIndex: 'mine', title: t('conflict.mine') },
          { key: 'theirs', dataIndex: 'theirs', title: t('conflict.theirs'), render: (text: string) => <span data-testid="conflict-theirs">{text}</span> },
        ]}
      />
      </div>
    </Modal>
  );
}
