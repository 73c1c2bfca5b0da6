/** A JSON request to Daichō for a benchmark's set-up; throws with the error body on a status ≥ 300. */
export async function requestJson(url: string, route: string, body: unknown, token?: string, method = 'POST'): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = await response.json();
  if (response.status >= 300) throw new Error(`${method} ${route}: ${JSON.stringify(parsed).slice(0, 300)}`);
  return parsed;
}
