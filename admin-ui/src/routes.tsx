import { Flex, Spin } from 'antd';
import type { RouteObject } from 'react-router';
import { RequireSession, SessionSync, SignInPage } from './session/index.ts';
import { AppShell } from './shell/index.ts';
import { StatusPage } from './status/index.ts';
import { HomePage, WorkspaceShell } from './workspace/index.ts';

/**
 * Every page of the app. Sign-in and the server status are public; the workspace needs a session.
 * The list and record pages are loaded on demand, so the first load stays small (the record
 * page brings react-jsonschema-form). So is the Admin area, which only designers use.
 */
export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/status', element: <StatusPage /> },
    ],
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <SessionSync />
        <WorkspaceShell />
      </RequireSession>
    ),
    // Shown while the first page's code loads.
    hydrateFallbackElement: (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    ),
    children: [
      { index: true, element: <HomePage /> },
      { path: 'o/:object', lazy: async () => ({ Component: (await import('./workspace/list/index.ts')).ListPage }) },
      { path: 'o/:object/:id', lazy: async () => ({ Component: (await import('./workspace/record/index.ts')).RecordPage }) },
      { path: 'admin/objects', lazy: async () => ({ Component: (await import('./admin/index.ts')).ObjectsPage }) },
      { path: 'admin/objects/new', lazy: async () => ({ Component: (await import('./admin/index.ts')).ObjectDesignerPage }) },
      { path: 'admin/objects/:name', lazy: async () => ({ Component: (await import('./admin/index.ts')).ObjectDesignerPage }) },
    ],
  },
];
