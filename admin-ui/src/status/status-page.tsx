import { Alert, Badge, Button, Card, Descriptions, Flex, Typography, type BadgeProps } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessageKey } from '../api/index.ts';
import { toServerState, type ServerState } from './server-state.ts';
import { useHealth } from './use-health.ts';

const badgeStatus: Record<ServerState, NonNullable<BadgeProps['status']>> = {
  checking: 'processing',
  running: 'success',
  unavailable: 'warning',
  unreachable: 'error',
};

/** The home page for now: is the server up, and which version does it run. */
export function StatusPage() {
  const { t } = useTranslation();
  const titleId = useId();
  const health = useHealth();
  const state = toServerState(health);
  return (
    <section aria-labelledby={titleId}>
      <Card
        title={
          <Typography.Title id={titleId} level={2} style={{ margin: 0, fontSize: 18 }}>
            {t('status.title')}
          </Typography.Title>
        }
        extra={
          <Button onClick={() => void health.refetch()} loading={health.isFetching}>
            {t('status.refresh')}
          </Button>
        }
      >
        <Flex vertical gap="middle">
          <Descriptions
            column={1}
            items={[
              {
                key: 'status',
                label: t('status.serverStatus'),
                children: (
                  <Badge
                    status={badgeStatus[state]}
                    text={
                      <span data-testid="server-status" role="status">
                        {t(`status.states.${state}`)}
                      </span>
                    }
                  />
                ),
              },
              {
                key: 'version',
                label: t('status.version'),
                children: <span data-testid="server-version">{health.data?.version ?? t('status.versionUnknown')}</span>,
              },
            ]}
          />
          {health.isError && <Alert type="error" showIcon title={t(errorMessageKey(health.error))} />}
        </Flex>
      </Card>
    </section>
  );
}
