/**
 * The request of `ctx.http.fetch`. Bodies are text; send JSON with `JSON.stringify`.
 *
 * @example
 * const options: FetchOptions = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
 */
export interface FetchOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * The answer of `ctx.http.fetch`.
 *
 * @example
 * const { status, body }: FetchResult = await ctx.http.fetch('https://api.example.com/v1/rates');
 */
export interface FetchResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * `ctx.http`: outbound https calls to URLs an `http.fetch:<pattern>` permission covers.
 *
 * @example
 * const answer = await ctx.http.fetch('https://hooks.example.com/new-deal', {
 *   method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }),
 * });
 * if (answer.status >= 400) ctx.log.warn('webhook refused', answer.status);
 */
export interface HttpApi {
  fetch(url: string, options?: FetchOptions): Promise<FetchResult>;
}
