import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { ApiError, fetchMe, type Principal } from '../api/index.ts';

/** The query key of the signed-in user; `null` data means nobody is signed in. */
export const sessionQueryKey = ['session'] as const;

/** The signed-in user, `null` when nobody is signed in (the server answered 401). */
export function useSession(): UseQueryResult<Principal | null> {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async ({ signal }) => {
      try {
        return await fetchMe(signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

/** The signed-in user; only for pages behind {@link RequireSession}. */
export function useSignedInUser(): Principal {
  const queryClient = useQueryClient();
  const me = queryClient.getQueryData<Principal | null>(sessionQueryKey);
  if (me === undefined || me === null) throw new Error('useSignedInUser outside a signed-in page');
  return me;
}
