import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthSettings } from './auth-settings.ts';
import { authenticate, type Credential, type Principal, type StoredPrincipal } from './sessions.service.ts';

/** Authenticates session tokens, session cookies and API tokens, remembering live ones briefly so a request costs no extra query. */
export interface SessionAuthenticator {
  authenticate(credential: Credential, clientAddress: string): Promise<Principal | undefined>;
  /** Forgets a session or API token at once (logout, revocation) on this node. */
  forget(sessionId: string): void;
  /** Forgets every session and token of a user at once (logout everywhere, disable, role change) on this node. */
  forgetUser(userId: string): void;
}

export interface CreateSessionAuthenticatorOptions {
  em: () => EntityManager;
  settings: AuthSettings;
  /**
   * How long a checked credential is trusted without asking the database again. A session
   * revoked on another node stops working within this time.
   */
  ttlMs?: number;
  maxEntries?: number;
}

export function createSessionAuthenticator(options: CreateSessionAuthenticatorOptions): SessionAuthenticator {
  const ttlMs = options.ttlMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { principal: StoredPrincipal; until: number }>();
  // The token itself keys the map: this process holds it for the request anyway.
  const key = (credential: Credential) => `${credential.kind}:${credential.token}`;
  return {
    async authenticate(credential, clientAddress) {
      const cacheKey = key(credential);
      const cached = entries.get(cacheKey);
      if (cached && cached.until > Date.now()) return { ...cached.principal, clientAddress };
      const principal = await authenticate(options.em(), options.settings, credential);
      if (!principal) {
        entries.delete(cacheKey);
        return undefined;
      }
      if (ttlMs > 0) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(cacheKey, { principal, until: Date.now() + ttlMs });
      }
      return { ...principal, clientAddress };
    },
    forget(sessionId) {
      for (const [cacheKey, entry] of entries) if (entry.principal.sessionId === sessionId) entries.delete(cacheKey);
    },
    forgetUser(userId) {
      for (const [cacheKey, entry] of entries) if (entry.principal.userId === userId) entries.delete(cacheKey);
    },
  };
}
