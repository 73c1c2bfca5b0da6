import { Flex, Layout, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { LanguageSwitch } from './language-switch.tsx';

/** The frame of public pages: the product name and language switch on top, the page below. */
export function AppShell({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ paddingInline: 16 }}>
        <Flex align="center" justify="space-between" gap="middle" style={{ height: '100%' }}>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>
            {t('app.title')}
          </Typography.Title>
          <LanguageSwitch />
        </Flex>
      </Layout.Header>
      <Layout.Content style={{ padding: 16, width: '100%', maxWidth: 960, margin: '0 auto' }}>{children ?? <Outlet />}</Layout.Content>
    </Layout>
  );
}
