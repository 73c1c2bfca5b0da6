/** What `GET /healthz` and `GET /readyz` answer. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  version: string;
  /** Seconds since the process started. */
  uptimeSeconds: number;
  /** Per-dependency checks; present on `/readyz` only. */
  checks?: Record<string, { status: 'ok' | 'unavailable'; message?: string }>;
}
