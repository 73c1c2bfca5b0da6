import type { EntityManager } from '@mikro-orm/postgresql';
import { authenticate, type Principal } from './sessions.service.ts';

/** Authenticates bearer tokens, remembering live sessions briefly so a request costs no extra query. */
export interface SessionAuthenticator {
  authenticate(token: string): Promise<Principal | undefined>;
  /** Forgets a session at once (logout, disable) on this node. */
  forget(sessionId: string): void;
}

export interface CreateSessionAuthenticatorOptions {
  em: () => EntityManager;
  /**
   * How long a checked session is trusted without asking the database again. A session revoked
   * on another node stops working within this time.
   */
  ttlMs?: number;
  maxEntries?: number;
}

export function createSessionAuthenticator(options: CreateSessionAuthenticatorOptions): SessionAuthenticator {
  const ttlMs = options.ttlMs ?? 5000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { principal: Principal; until: number }>();
  // The token itself keys the map: this process holds it for the request anyway.
  const key = (token: string) => token;
  return {
    async authenticate(token) {
      const cacheKey = key(token);
      const cached = entries.get(cacheKey);
      if (cached && cached.until > Date.now()) return cached.principal;
      const principal = await authenticate(options.em(), token);
      if (!principal) {
        entries.delete(cacheKey);
        return undefined;
      }
      if (entries.size >= maxEntries) entries.clear();
      entries.set(cacheKey, { principal, until: Date.now() + ttlMs });
      return principal;
    },
    forget(sessionId) {
      for (const [cacheKey, entry] of entries) if (entry.principal.sessionId === sessionId) entries.delete(cacheKey);
    },
  };
}
