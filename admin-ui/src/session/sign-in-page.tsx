import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { errorMessageKey, fetchMe, signIn, signInWithTotp, type SignInInput, type SignInResult } from '../api/index.ts';
import { sessionQueryKey, useSession } from './use-session.ts';

const lastWorkspaceKey = 'daicho.workspace';

/** Only paths of this app are followed after sign-in, never another site. */
function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Sign-in with workspace, e-mail and password, then the TOTP code when the user has one. */
export function SignInPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const session = useSession();
  const [challenge, setChallenge] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (session.data !== undefined && session.data !== null) return <Navigate to={next} replace />;

  async function finish(result: SignInResult) {
    if (result.kind === 'totpRequired') {
      setChallenge(result.challenge);
      return;
    }
    queryClient.setQueryData(sessionQueryKey, await fetchMe());
    await navigate(next, { replace: true });
  }

  async function run(step: () => Promise<SignInResult>) {
    setBusy(true);
    setError(undefined);
    try {
      await finish(await step());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const onPassword = (values: SignInInput) => {
    try {
      localStorage.setItem(lastWorkspaceKey, values.workspace);
    } catch {
      // Storage may be off; the workspace is then typed again next time.
    }
    void run(() => signIn(values));
  };
  const onTotp = ({ code }: { code: string }) => {
    if (challenge !== undefined) void run(() => signInWithTotp(challenge, code.trim()));
  };

  let lastWorkspace = '';
  try {
    lastWorkspace = localStorage.getItem(lastWorkspaceKey) ?? '';
  } catch {
    // See above.
  }

  return (
    <Flex justify="center" style={{ padding: '48px 16px' }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={2} style={{ marginTop: 0, fontSize: 20 }}>
          {challenge === undefined ? t('signIn.title') : t('signIn.totpTitle')}
        </Typography.Title>
        {error !== undefined && <Alert type="error" showIcon title={t(errorMessageKey(error))} style={{ marginBottom: 16 }} data-testid="sign-in-error" />}
        {challenge === undefined ? (
          <Form<SignInInput> layout="vertical" onFinish={onPassword} initialValues={{ workspace: lastWorkspace, email: '', password: '' }} requiredMark={false}>
            <Form.Item name="workspace" label={t('signIn.workspace')} rules={[{ required: true, message: t('signIn.required') }]}>
              <Input autoComplete="organization" autoCapitalize="none" />
            </Form.Item>
            <Form.Item name="email" label={t('signIn.email')} rules={[{ required: true, message: t('signIn.required') }]}>
              <Input type="email" autoComplete="username" autoCapitalize="none" />
            </Form.Item>
            <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.required') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('signIn.submit')}
            </Button>
          </Form>
        ) : (
          <Form<{ code: string }> layout="vertical" onFinish={onTotp} requiredMark={false}>
            <Typography.Paragraph>{t('signIn.totpHelp')}</Typography.Paragraph>
            <Form.Item name="code" label={t('signIn.totpCode')} rules={[{ required: true, pattern: /^\s*(\d{6}|[a-z2-9]{5}-?[a-z2-9]{5})\s*$/i, message: t('signIn.totpFormat') }]}>
              <Input autoComplete="one-time-code" maxLength={14} autoFocus />
            </Form.Item>
            <Flex gap="small">
              <Button onClick={() => setChallenge(undefined)}>{t('common.back')}</Button>
              <Button type="primary" htmlType="submit" block loading={busy}>
                {t('signIn.verify')}
              </Button>
            </Flex>
          </Form>
        )}
      </Card>
    </Flex>
  );
}
