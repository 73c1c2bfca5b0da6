import type { HealthReport } from '@daicho/sdk';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { fetchHealth } from '../api/index.ts';

/** How often the status page asks again, so it notices a server going away or coming back. */
const pollIntervalMs = 15_000;

/** The server's health report, polled while the page is open. */
export function useHealth(): UseQueryResult<HealthReport> {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => fetchHealth(signal),
    refetchInterval: pollIntervalMs,
    // A failed check is an answer in itself ("unreachable"); the next poll is the retry.
    retry: false,
  });
}
