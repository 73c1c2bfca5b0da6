/**
 * The one form of an e-mail address for storing, finding and counting sign-in failures:
 * NFKC (full-width letters become ASCII), trimmed, lower-cased. `Ａｄｍｉｎ@Example.com ` and
 * `admin@example.com` are one account.
 */
export function canonicalEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** Workspace slugs compare the same way as e-mail addresses. */
export function canonicalWorkspaceSlug(slug: string): string {
  return slug.normalize('NFKC').trim().toLowerCase();
}
