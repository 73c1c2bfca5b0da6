import { defaultLoginThrottlePolicy, type LoginThrottlePolicy } from './login-throttle.ts';
import { defaultPasswordPolicy, type PasswordPolicy } from './password-policy.ts';

/** The settings of authentication, read from the configuration by the runtime. */
export interface AuthSettings {
  /** The install's secret key (DAICHO_SECRET_KEY or the generated one); purpose keys are derived from it. */
  secretKey: Buffer;
  passwordPolicy: PasswordPolicy;
  throttle: LoginThrottlePolicy;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  apiTokenMaxDays: number;
}

/** Settings with the documented defaults, for a given key. */
export function createAuthSettings(secretKey: Buffer, overrides: Partial<Omit<AuthSettings, 'secretKey'>> = {}): AuthSettings {
  return {
    secretKey,
    passwordPolicy: defaultPasswordPolicy,
    throttle: defaultLoginThrottlePolicy,
    sessionIdleMinutes: 720,
    sessionAbsoluteHours: 336,
    apiTokenMaxDays: 365,
    ...overrides,
  };
}
