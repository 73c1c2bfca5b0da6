import { confirmTotpEnrolment, disableTotp, recoveryCodesLeft, renewRecoveryCodes, startTotpEnrolment, verifyCurrentPassword } from '../auth/index.ts';
import { DaichoError } from '../errors/index.ts';
import { createRouter, type RouteMount } from '../http/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { readStrings } from './auth.routes.ts';
import { principalOf, requireSession, requireUserSession } from './principal.ts';

/**
 * The signed-in user's TOTP second factor: `/api/v1/auth/totp/…`. Setting it up and turning it
 * off both ask for the password, so that a borrowed session can neither lock the user out with
 * a factor of its own nor remove theirs.
 */
export function totpRoutes(deps: ApiDeps): RouteMount {
  const router = createRouter({ prefix: '/api/v1/auth/totp' });
  // A user whose role requires TOTP may reach these before having one.
  router.use(requireSession(deps, { allowWithoutRequiredTotp: true }), requireUserSession());

  router.post('/enrol', async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readStrings(ctx, ['password']);
    await verifyCurrentPassword(deps.em(), deps.auth, principal, body.password as string, 'password');
    const enrolment = await startTotpEnrolment(deps.em(), deps.auth, principal);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = enrolment;
  });

  router.post('/confirm', async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readStrings(ctx, ['code']);
    const recoveryCodes = await confirmTotpEnrolment(deps.em(), deps.auth, principal.userId, body.code as string);
    if (!recoveryCodes) {
      throw new DaichoError('TOTP_INVALID', 'The one-time code is not correct; check the time on your device and try the next code');
    }
    await deps.sessions.forgetUser(principal.userId);
    ctx.set('Cache-Control', 'no-store');
    // Shown once: each signs in once in place of a code, for when the device is lost.
    ctx.body = { totpEnabled: true, recoveryCodes };
  });

  router.get('/recovery-codes', async (ctx) => {
    ctx.body = { left: await recoveryCodesLeft(deps.em(), principalOf(ctx).userId) };
  });

  // New codes replace the old ones; the password is asked for, as for the factor itself.
  router.post('/recovery-codes', async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readStrings(ctx, ['password']);
    await verifyCurrentPassword(deps.em(), deps.auth, principal, body.password as string, 'password');
    const recoveryCodes = await renewRecoveryCodes(deps.em(), deps.auth, principal.userId);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { recoveryCodes };
  });

  router.post('/disable', async (ctx) => {
    const principal = principalOf(ctx);
    const body = await readStrings(ctx, ['password']);
    await verifyCurrentPassword(deps.em(), deps.auth, principal, body.password as string, 'password');
    await disableTotp(deps.em(), principal.userId);
    await deps.sessions.forgetUser(principal.userId);
    ctx.body = { totpEnabled: false };
  });

  return { name: 'totp', router };
}
