import { PlusOutlined } from '@ant-design/icons';
import type { ObjectDefinition } from '@daicho/sdk';
import { Alert, Button, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessageKey } from '../api/index.ts';
import { useLanguage } from '../i18n/index.ts';
import { labelOf } from '../workspace/index.ts';

import { RequireDesigner } from './require-designer.tsx';
import { useDesignedObjects } from './use-designed-objects.ts';

/** `/admin/objects`: every object with its labels, number of fields and sharing default. */
export function ObjectsPage() {
  return (
    <RequireDesigner>
      <ObjectList />
    </RequireDesigner>
  );
}

function ObjectList() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const objects = useDesignedObjects();
  const navigate = useNavigate();
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap="small" style={{ marginBottom: 16 }}>
        <Typography.Title level={2} style={{ margin: 0 }} data-testid="admin-objects-title">
          {t('designer.objectsTitle')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} data-testid="new-object" onClick={() => void navigate('/admin/objects/new')}>
          {t('designer.newObject')}
        </Button>
      </Flex>
      {objects.isError && <Alert type="error" showIcon title={t(errorMessageKey(objects.error))} />}
      <Table<ObjectDefinition & { version: number }>
        rowKey="name"
        loading={objects.isPending}
        dataSource={objects.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="object-table"
        columns={[
          {
            key: 'label',
            title: t('designer.object.label'),
            render: (_, object) => <Link to={`/admin/objects/${encodeURIComponent(object.name)}`}>{labelOf(object.labels, language, object.name)}</Link>,
          },
          { key: 'plural', title: t('designer.object.pluralLabel'), render: (_, object) => labelOf(object.pluralLabels, language, '') },
          { key: 'name', title: t('designer.object.name'), render: (_, object) => <Typography.Text code>{object.name}</Typography.Text> },
          { key: 'fields', title: t('designer.object.fieldCount'), align: 'right', render: (_, object) => object.fields.length },
          { key: 'sharing', title: t('designer.object.sharing'), render: (_, object) => t(`designer.sharing.${object.sharing ?? 'private'}`) },
        ]}
      />
    </>
  );
}
