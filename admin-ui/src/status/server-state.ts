import type { HealthReport } from '@daicho/sdk';
import type { UseQueryResult } from '@tanstack/react-query';

/** What the status page says about the server. */
export type ServerState = 'checking' | 'running' | 'unavailable' | 'unreachable';

/**
 * Reads the state from the latest health check. A failed check wins over an older good report:
 * the server may have gone away since.
 */
export function toServerState(health: Pick<UseQueryResult<HealthReport>, 'isError' | 'data'>): ServerState {
  if (health.isError) return 'unreachable';
  if (health.data === undefined) return 'checking';
  return health.data.status === 'ok' ? 'running' : 'unavailable';
}
