// Authentication and users: passwords (argon2id) and their policy, sign-in with throttling and
// lockout, bearer and cookie sessions, API tokens, TOTP second factors, workspace IP allow-lists.
// Roles and permissions belong to the access module; it plugs in through the API's hooks.
export { createAuthSettings } from './auth-settings.ts';
export type { AuthSettings } from './auth-settings.ts';
export { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.ts';
export type { ApiTokenInfo, CreateApiTokenInput, TokenCreator } from './api-tokens.service.ts';
export { canonicalEmail, canonicalWorkspaceSlug } from './canonical.ts';
export {
  createWorkspaceAllowLists, formatIpRange, getWorkspaceIpAllowList, ipAllowed, ipNotAllowed, MAX_IP_ALLOW_LIST_ENTRIES, parseIpAllowList, setWorkspaceIpAllowList,
} from './ip-allow-lists.ts';
export type { WorkspaceAllowLists } from './ip-allow-lists.ts';
export { completeTotpLogin, login, LOGIN_CHALLENGE_SECONDS, loginFailed, verifyCurrentPassword } from './login.service.ts';
export type { CompleteTotpLoginInput, LoginChecks, LoginInput, SignedIn, TotpRequired } from './login.service.ts';
export { defaultLoginThrottlePolicy, loginThrottleKeys } from './login-throttle.ts';
export type { LoginThrottleKeys, LoginThrottlePolicy } from './login-throttle.ts';
export { assertPasswordPolicy, checkPasswordPolicy, defaultPasswordPolicy } from './password-policy.ts';
export type { PasswordPolicy, PasswordProblem } from './password-policy.ts';
export { generatePassword, hashPassword, needsRehash, passwordHashParameters, storedHashParameters, verifyPassword } from './passwords.ts';
export type { PasswordHashParameters } from './passwords.ts';
export { isRoleName, ROLE_NAME_PATTERN } from './role-name.ts';
export { constantTimeEqual, deriveKey, macOf, openSecret, sealSecret } from './secret-box.ts';
export { resetUserCredentials } from './credential-reset.ts';
export { createSessionAuthenticator } from './session-cache.ts';
export type { CreateSessionAuthenticatorOptions, SessionAuthenticator } from './session-cache.ts';
export { API_TOKEN_PREFIX, authenticate, openSession, revokeSession, revokeUserSessions } from './sessions.service.ts';
export type { AuthMethod, Credential, Principal, SessionKind, StoredPrincipal } from './sessions.service.ts';
export { confirmTotpEnrolment, disableTotp, RECOVERY_CODE_COUNT, recoveryCodesLeft, renewRecoveryCodes, startTotpEnrolment, verifyUserTotp } from './totp.service.ts';
export type { TotpEnrolment } from './totp.service.ts';
export { totpCode } from './totp.ts';
export { UserSchema } from './user.entity.ts';
export type { User } from './user.entity.ts';
export {
  canonicalTimeZone, createUser, findUser, generateInitialPassword, listUsers, parseUserChanges, setUserPassword, updateUser, userLocales,
} from './users.service.ts';
export type { CreateUserOptions, UserChanges, UserInfo, UserLocale } from './users.service.ts';
