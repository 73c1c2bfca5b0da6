import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, type ConfigProviderProps } from 'antd';
import enUS from 'antd/es/locale/en_US';
import jaJP from 'antd/es/locale/ja_JP';
import dayjs from 'dayjs';
import 'dayjs/locale/ja';
import type { i18n as I18n } from 'i18next';
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { useLanguage, type Language } from './i18n/index.ts';
import { routes } from './routes.tsx';

const antdLocales: Record<Language, NonNullable<ConfigProviderProps['locale']>> = { ja: jaJP, en: enUS };

const appTheme: ConfigProviderProps['theme'] = {
  components: { Layout: { headerBg: '#ffffff', headerPadding: '0 24px', siderBg: '#ffffff' } },
};

/** What the app is started with; tests pass fresh ones so nothing leaks between them. */
export interface AppProps {
  i18n: I18n;
  queryClient: QueryClient;
}

/** The whole browser app: translations, component library locale, server state, the pages. */
export function App({ i18n, queryClient }: AppProps) {
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <LocalizedConfigProvider>
          <AntApp>
            <RouterProvider router={router} />
          </AntApp>
        </LocalizedConfigProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}

/** Ant Design's own texts (pagination, pickers, empty states) and dayjs follow the chosen language. */
function LocalizedConfigProvider({ children }: { children: ReactNode }) {
  const { language } = useLanguage();
  useEffect(() => {
    dayjs.locale(language);
  }, [language]);
  return (
    <ConfigProvider locale={antdLocales[language]} theme={appTheme}>
      {children}
    </ConfigProvider>
  );
}
