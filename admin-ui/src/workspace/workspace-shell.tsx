import { MenuOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Layout, Menu, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { errorMessageKey, updateMe, type Principal } from '../api/index.ts';
import { useLanguage, type Language } from '../i18n/index.ts';
import { sessionQueryKey } from '../session/index.ts';
import { LanguageSwitch } from '../shell/index.ts';
import { labelOf } from './labels.ts';
import { readableObjects, useWorkspaceMeta } from './use-workspace-meta.ts';
import { UserMenu } from './user-menu.tsx';

/** The menu key of the Admin area's object designer (never an object name: those have no dash). */
const adminObjectsKey = 'admin-objects';

/**
 * The frame of the signed-in workspace: the objects the user may read on the side (a drawer-like
 * collapsed bar on a phone), language and user menus on top, the page in the middle.
 */
export function WorkspaceShell() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const meta = useWorkspaceMeta();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [collapsed, setCollapsed] = useState(false);
  const [narrow, setNarrow] = useState(false);

  const saveLanguage = (next: Language) => {
    void updateMe({ locale: next }).then(
      (updated) => queryClient.setQueryData<Principal | null>(sessionQueryKey, (old) => (old ? { ...old, locale: updated.locale } : old)),
      () => undefined,
    );
  };

  const objects = meta.data ? readableObjects(meta.data) : [];
  const selected = /^\/o\/([^/]+)/.exec(location.pathname)?.[1];
  // The Admin area is offered to designers only; the server refuses everyone else anyway.
  const mayDesign = meta.data?.access.capabilities.includes('designObjects') === true;
  const adminItems = mayDesign
    ? [
        { type: 'divider' as const },
        {
          type: 'group' as const,
          key: 'admin',
          label: t('nav.admin'),
          children: [
            {
              key: adminObjectsKey,
              label: (
                <Link to="/admin/objects" onClick={() => narrow && setCollapsed(true)} data-testid="admin-objects-link">
                  {t('nav.adminObjects')}
                </Link>
              ),
            },
          ],
        },
      ]
    : [];
  const objectItems = objects.map((object) => ({
    key: object.name,
    label: (
      <Link to={`/o/${encodeURIComponent(object.name)}`} onClick={() => narrow && setCollapsed(true)}>
        {labelOf(object.pluralLabels ?? object.labels, language, object.name)}
      </Link>
    ),
  }));
  const items = [...objectItems, ...adminItems];
  const selectedKeys = location.pathname.startsWith('/admin/objects') ? [adminObjectsKey] : selected ? [decodeURIComponent(selected)] : [];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ paddingInline: 16 }}>
        <Flex align="center" justify="space-between" gap="small" style={{ height: '100%' }}>
          <Flex align="center" gap="small">
            {narrow && (
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('nav.objects')}
                aria-expanded={!collapsed}
                onClick={() => setCollapsed((value) => !value)}
                data-testid="nav-toggle"
              />
            )}
            <Typography.Title level={1} style={{ margin: 0, fontSize: 18, whiteSpace: 'nowrap' }}>
              <Link to="/" style={{ color: 'inherit' }}>{t('app.title')}</Link>
            </Typography.Title>
          </Flex>
          <Flex align="center" gap="small">
            <LanguageSwitch onChanged={saveLanguage} />
            <UserMenu />
          </Flex>
        </Flex>
      </Layout.Header>
      <Layout hasSider>
        <Layout.Sider
          breakpoint="md"
          collapsedWidth={0}
          collapsed={collapsed}
          trigger={null}
          onBreakpoint={(broken) => { setNarrow(broken); setCollapsed(broken); }}
          theme="light"
          width={220}
          style={narrow && !collapsed ? { position: 'absolute', zIndex: 20, height: '100%', boxShadow: '2px 0 8px rgba(0,0,0,.15)' } : undefined}
        >
          <nav aria-label={t('nav.objects')} data-testid="object-nav">
            {meta.isPending ? <Spin style={{ margin: 16 }} /> : <Menu mode="inline" selectedKeys={selectedKeys} items={items} />}
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>
          {meta.isError ? <Alert type="error" showIcon title={t(errorMessageKey(meta.error))} /> : <Outlet />}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
