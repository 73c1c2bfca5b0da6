import type { MigrationObject } from '@mikro-orm/core';
import { PlatformFoundation } from './m0001-platform-foundation.ts';
import { Definitions } from './m0002-definitions.ts';
import { Sessions } from './m0003-sessions.ts';
import { AuditTrail } from './m0004-audit-trail.ts';
import { Access } from './m0005-access.ts';
import { Authentication } from './m0006-authentication.ts';
import { Automation } from './m0007-automation.ts';
import { Plugins } from './m0008-plugins.ts';
import { AutomationTimers } from './m0009-automation-timers.ts';
import { TotpRecoveryCodes } from './m0010-totp-recovery-codes.ts';

/**
 * The platform migrations, in order. Listed here rather than discovered by a file glob so that
 * the order is explicit and the list works the same from source and from a bundle.
 * Append only: a migration that has shipped is never edited.
 */
export const platformMigrations: MigrationObject[] = [
  { name: '0001-platform-foundation', class: PlatformFoundation },
  { name: '0002-definitions', class: Definitions },
  { name: '0003-sessions', class: Sessions },
  { name: '0004-audit-trail', class: AuditTrail },
  { name: '0005-access', class: Access },
  { name: '0006-authentication', class: Authentication },
  { name: '0007-automation', class: Automation },
  { name: '0008-plugins', class: Plugins },
  { name: '0009-automation-timers', class: AutomationTimers },
  { name: '0010-totp-recovery-codes', class: TotpRecoveryCodes },
];
