import { UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Dropdown, Modal, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorMessageKey, signOut, updateMe, type Principal } from '../api/index.ts';
import { sessionQueryKey, useSignedInUser } from '../session/index.ts';

/** The user's name with their time-zone setting and sign-out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [zoneOpen, setZoneOpen] = useState(false);
  const [zone, setZone] = useState(me.timeZone);
  const [saving, setSaving] = useState(false);
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone').map((value) => ({ value, label: value })), []);

  async function saveZone() {
    setSaving(true);
    try {
      const updated = await updateMe({ timeZone: zone });
      queryClient.setQueryData<Principal | null>(sessionQueryKey, (old) => (old ? { ...old, timeZone: updated.timeZone } : old));
      setZoneOpen(false);
    } catch (error) {
      void message.error(t(errorMessageKey(error)));
    } finally {
      setSaving(false);
    }
  }

  async function leave() {
    try {
      await signOut();
    } catch {
      // The session may already be gone; either way this browser is signed out.
    }
    queryClient.setQueryData(sessionQueryKey, null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
    await navigate('/sign-in', { replace: true });
  }

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'who', disabled: true, label: <Typography.Text type="secondary">{me.email}</Typography.Text> },
            { key: 'zone', label: `${t('user.timeZone')}: ${me.timeZone}`, onClick: () => { setZone(me.timeZone); setZoneOpen(true); } },
            { type: 'divider' },
            { key: 'sign-out', label: <span data-testid="sign-out">{t('user.signOut')}</span>, onClick: () => void leave() },
          ],
        }}
      >
        <Button icon={<UserOutlined />} data-testid="user-menu" aria-label={t('user.menu')}>
          <span className="daicho-hide-narrow">{me.displayName}</span>
        </Button>
      </Dropdown>
      <Modal open={zoneOpen} title={t('user.timeZone')} onOk={() => void saveZone()} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={saving} onCancel={() => setZoneOpen(false)}>
        <Select showSearch style={{ width: '100%' }} value={zone} options={zones} onChange={setZone} aria-label={t('user.timeZone')} data-testid="time-zone-select" />
      </Modal>
    </>
  );
}
