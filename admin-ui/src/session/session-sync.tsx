import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { onUnauthenticated } from '../api/index.ts';
import { isLanguage, useLanguage } from '../i18n/index.ts';
import { sessionQueryKey, useSession } from './use-session.ts';

/**
 * Keeps the app in step with the session: any 401 (expired, ended elsewhere) signs the app out,
 * which sends protected pages back to sign-in; a new sign-in switches to the user's own language.
 */
export function SessionSync() {
  const queryClient = useQueryClient();
  const session = useSession();
  const { language, changeLanguage } = useLanguage();
  const appliedFor = useRef<string | undefined>(undefined);

  useEffect(
    () =>
      onUnauthenticated(() => {
        const wasSignedIn = queryClient.getQueryData(sessionQueryKey) != null;
        queryClient.setQueryData(sessionQueryKey, null);
        // What the ended session could see goes with it; public pages (status) keep their data.
        if (wasSignedIn) queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] && query.queryKey[0] !== 'health' });
      }),
    [queryClient],
  );

  const me = session.data;
  useEffect(() => {
    if (me === undefined || me === null) {
      appliedFor.current = undefined;
      return;
    }
    if (appliedFor.current === me.userId) return;
    appliedFor.current = me.userId;
    if (isLanguage(me.locale) && me.locale !== language) void changeLanguage(me.locale);
  }, [me, language, changeLanguage]);

  return null;
}
