import { Card, Empty, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLanguage } from '../i18n/index.ts';
import { useSignedInUser } from '../session/index.ts';
import { labelOf } from './labels.ts';
import { readableObjects, useWorkspaceMeta } from './use-workspace-meta.ts';

/** The start page of the workspace: a greeting and the objects the user can open. */
export function HomePage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const me = useSignedInUser();
  const meta = useWorkspaceMeta();
  const objects = meta.data ? readableObjects(meta.data) : [];
  return (
    <Card title={<Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>{t('home.welcome', { name: me.displayName })}</Typography.Title>}>
      {objects.length === 0 && !meta.isPending ? (
        <Empty description={t('home.noObjects')} />
      ) : (
        <List
          loading={meta.isPending}
          dataSource={objects}
          renderItem={(object) => (
            <List.Item>
              <Link to={`/o/${encodeURIComponent(object.name)}`}>{labelOf(object.pluralLabels ?? object.labels, language, object.name)}</Link>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
