import { requestJson, sendJson, setCsrfToken } from './http-client.ts';

/** The signed-in user as `GET /api/v1/auth/me` describes them. */
export interface Principal {
  workspaceId: string;
  workspaceSlug: string;
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  roleName: string | null;
  locale: string;
  timeZone: string;
  authMethod: 'session' | 'cookie' | 'token';
  totpEnabled: boolean;
  totpEnrolmentRequired: boolean;
  csrfToken?: string;
}

/** What the sign-in form sends. */
export interface SignInInput {
  workspace: string;
  email: string;
  password: string;
}

/** A sign-in either opens the session or asks for the TOTP code of the second step. */
export type SignInResult = { kind: 'signedIn' } | { kind: 'totpRequired'; challenge: string };

/** Signs in with a browser (cookie) session: `POST /api/v1/auth/login` with `"session": "cookie"`. */
export async function signIn(input: SignInInput): Promise<SignInResult> {
  const { body } = await sendJson('/api/v1/auth/login', 'POST', { ...input, session: 'cookie' });
  return readSignIn(body);
}

/** The second step of a sign-in with TOTP: `POST /api/v1/auth/login/totp`. */
export async function signInWithTotp(challenge: string, code: string): Promise<SignInResult> {
  const { body } = await sendJson('/api/v1/auth/login/totp', 'POST', { challenge, code });
  return readSignIn(body);
}

function readSignIn(body: unknown): SignInResult {
  const answer = (body ?? {}) as { totpRequired?: boolean; challenge?: string; csrfToken?: string };
  if (answer.totpRequired === true && typeof answer.challenge === 'string') return { kind: 'totpRequired', challenge: answer.challenge };
  setCsrfToken(answer.csrfToken);
  return { kind: 'signedIn' };
}

/** The signed-in user, remembering the session's CSRF token. */
export async function fetchMe(signal?: AbortSignal): Promise<Principal> {
  const me = (await requestJson('/api/v1/auth/me', signal === undefined ? {} : { signal })) as Principal;
  setCsrfToken(me.csrfToken);
  return me;
}

/** Changes the user's own settings: `PATCH /api/v1/auth/me`. */
export async function updateMe(change: { locale?: string; timeZone?: string; displayName?: string }): Promise<Principal> {
  const { body } = await sendJson('/api/v1/auth/me', 'PATCH', change);
  return body as Principal;
}

/** Ends this session (`POST /api/v1/auth/logout`); the server clears the cookie. */
export async function signOut(): Promise<void> {
  try {
    await requestJson('/api/v1/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(undefined);
  }
}
