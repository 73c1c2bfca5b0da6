import type { MigrationObject } from '@mikro-orm/core';
import { PlatformFoundation } from './m0001-platform-foundation.ts';

/**
 * The platform migrations, in order. Listed here rather than discovered by a file glob so that
 * the order is explicit and the list works the same from source and from a bundle.
 * Append only: a migration that has shipped is never edited.
 */
export const platformMigrations: MigrationObject[] = [{ name: '0001-platform-foundation', class: PlatformFoundation }];
