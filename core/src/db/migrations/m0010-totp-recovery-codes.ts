import { Migration } from '@mikro-orm/migrations';

/**
 * TOTP recovery codes: single-use codes given when a second factor is confirmed, kept only as
 * keyed hashes (HMAC with a key derived from the install's secret key). Nullable: the previous
 * version ignores the column (expand only).
 */
export class TotpRecoveryCodes extends Migration {
  override name = '0010-totp-recovery-codes';

  override up(): void {
    this.addSql(`alter table "daicho"."user" add column if not exists "totp_recovery_codes" text[] null`);
  }
}
