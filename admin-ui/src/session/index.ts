// The browser session: sign-in (with TOTP), the signed-in user, and the way back to sign-in
// when the session ends (any 401 from the API).
export { RequireSession } from './require-session.tsx';
export { SessionSync } from './session-sync.tsx';
export { SignInPage } from './sign-in-page.tsx';
export { sessionQueryKey, useSession, useSignedInUser } from './use-session.ts';
