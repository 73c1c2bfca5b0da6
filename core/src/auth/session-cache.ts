import type { EntityManager } from '@mikro-orm/postgresql';
import { sendNotification, type NotificationListener } from '../db/index.ts';
import type { AuthSettings } from './auth-settings.ts';
import { authenticate, type Credential, type Principal, type StoredPrincipal } from './sessions.service.ts';

/** Authenticates session tokens, session cookies and API tokens, remembering live ones briefly so a request costs no extra query. */
export interface SessionAuthenticator {
  authenticate(credential: Credential, clientAddress: string): Promise<Principal | undefined>;
  /** Forgets a session or API token at once (logout, revocation), on this node and, through the listener, on every other. */
  forget(sessionId: string): Promise<void>;
  /** Forgets every session and token of a user at once (logout everywhere, disable, role change), on every node. */
  forgetUser(userId: string): Promise<void>;
  /** Hears other nodes' revocations. Call before the listener starts. */
  listenTo(listener: NotificationListener): void;
}

/** Carries `s:<session id>` and `u:<user id>` between nodes. */
export const SESSIONS_CHANNEL = 'daicho_sessions';

export interface CreateSessionAuthenticatorOptions {
  em: () => EntityManager;
  settings: AuthSettings;
  /**
   * How long a checked credential is trusted without asking the database again. A revocation
   * reaches other nodes at once through LISTEN/NOTIFY; this bounds how long a node that missed it
   * (its listener was reconnecting) trusts a revoked session.
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
  const dropSession = (sessionId: string) => {
    for (const [cacheKey, entry] of entries) if (entry.principal.sessionId === sessionId) entries.delete(cacheKey);
  };
  const dropUser = (userId: string) => {
    for (const [cacheKey, entry] of entries) if (entry.principal.userId === userId) entries.delete(cacheKey);
  };
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
    async forget(sessionId) {
      dropSession(sessionId);
      await sendNotification(options.em().getKysely(), SESSIONS_CHANNEL, `s:${sessionId}`);
    },
    async forgetUser(userId) {
      dropUser(userId);
      await sendNotification(options.em().getKysely(), SESSIONS_CHANNEL, `u:${userId}`);
    },
    listenTo(listener) {
      listener.subscribe(SESSIONS_CHANNEL, (payload) => {
        if (payload.startsWith('s:')) dropSession(payload.slice(2));
        else if (payload.startsWith('u:')) dropUser(payload.slice(2));
      }, () => entries.clear());
    },
  };
}
