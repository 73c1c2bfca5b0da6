import type { HealthReport } from '@daicho/sdk';
import { ApiError } from './api-error.ts';
import { requestJson } from './http-client.ts';

/** Asks the server whether it is alive (`GET /healthz`) and which version it runs. */
export async function fetchHealth(signal?: AbortSignal): Promise<HealthReport> {
  const body = await requestJson('/healthz', signal === undefined ? {} : { signal });
  if (!isHealthReport(body)) {
    throw new ApiError({ code: 'UNEXPECTED_RESPONSE', message: '/healthz answered without a health report' });
  }
  return body;
}

function isHealthReport(value: unknown): value is HealthReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    (value.status === 'ok' || value.status === 'unavailable') &&
    'version' in value &&
    typeof value.version === 'string'
  );
}
