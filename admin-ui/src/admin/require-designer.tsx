import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useWorkspaceMeta } from '../workspace/index.ts';

/** Whether the signed-in user may design objects (the `designObjects` capability). */
export function useMayDesign(): boolean | undefined {
  const meta = useWorkspaceMeta();
  return meta.data === undefined ? undefined : meta.data.access.capabilities.includes('designObjects');
}

/** Shows the designer only to those who may use it; the server refuses the others anyway. */
export function RequireDesigner({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const may = useMayDesign();
  if (may === undefined) return <Spin />;
  if (!may) return <Result status="403" title={t('errors.PERMISSION_DENIED')} data-testid="designer-forbidden" />;
  return <>{children}</>;
}
