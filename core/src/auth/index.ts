// Authentication and users. Owns the user entity and password hashing (argon2id).
export { generatePassword, hashPassword, passwordHashParameters, verifyPassword } from './passwords.ts';
export { UserSchema } from './user.entity.ts';
export type { User } from './user.entity.ts';
export { createUser } from './users.service.ts';
export type { CreateUserOptions } from './users.service.ts';
export { authenticate, login, revokeSession, SESSION_ABSOLUTE_DAYS, SESSION_IDLE_HOURS } from './sessions.service.ts';
export type { LoginInput, Principal } from './sessions.service.ts';
export { createSessionAuthenticator } from './session-cache.ts';
export type { CreateSessionAuthenticatorOptions, SessionAuthenticator } from './session-cache.ts';
