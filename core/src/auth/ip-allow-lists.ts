import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type Kysely } from 'kysely';
import { sendNotification, type NotificationListener } from '../db/index.ts';
import { formatIpAddress, ipInRanges, parseIpRange, parseIpRangeList, type IpRange } from '../config/index.ts';
import { DaichoError, errors, type InputProblem } from '../errors/index.ts';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Longest allow-list accepted. */
export const MAX_IP_ALLOW_LIST_ENTRIES = 500;

export const ipNotAllowed = () => new DaichoError('IP_NOT_ALLOWED', 'Access from your network address is not allowed');

/** One text per range: `10.0.0.0/8`, `2001:db8::/32`, or a bare address for a single one. */
export function formatIpRange(range: IpRange): string {
  const mapped = range.bytes.subarray(0, 12).every((byte, index) => byte === (index >= 10 ? 0xff : 0)) && range.prefixBits >= 96;
  const bits = mapped ? range.prefixBits - 96 : range.prefixBits;
  const full = mapped ? 32 : 128;
  return bits === full ? formatIpAddress(range.bytes) : `${formatIpAddress(range.bytes)}/${bits}`;
}

/**
 * Whether an address passes an allow-list. An empty or absent list allows everyone; the entries
 * may be ranges or their texts (as a hook returns them).
 */
export function ipAllowed(address: string, list: readonly IpRange[] | readonly string[] | undefined): boolean {
  if (list === undefined || list.length === 0) return true;
  const ranges = typeof list[0] === 'string' ? parseIpRangeList((list as readonly string[]).join(',')).ranges : (list as readonly IpRange[]);
  // A list of nothing but unreadable entries allows no one: failing open would be worse.
  return ipInRanges(address, ranges);
}

/** Checks and normalises an allow-list from the API: an array of addresses or CIDR ranges. */
export function parseIpAllowList(value: unknown, path = '/ipAllowList'): string[] {
  if (!Array.isArray(value)) throw errors.validationFailed([{ path, code: 'type', message: 'must be an array of IP addresses or CIDR ranges' }]);
  if (value.length > MAX_IP_ALLOW_LIST_ENTRIES) throw errors.validationFailed([{ path, code: 'maxItems', message: `must have at most ${MAX_IP_ALLOW_LIST_ENTRIES} entries` }]);
  const problems: InputProblem[] = [];
  const entries: string[] = [];
  value.forEach((entry, index) => {
    const range = typeof entry === 'string' && entry.length <= 64 ? parseIpRange(entry) : undefined;
    if (!range) problems.push({ path: `${path}/${index}`, code: 'format', message: 'is not an IP address or CIDR range' });
    else if (!entries.includes(formatIpRange(range))) entries.push(formatIpRange(range));
  });
  if (problems.length > 0) throw errors.validationFailed(problems);
  return entries;
}

export async function getWorkspaceIpAllowList(em: EntityManager, workspaceId: string): Promise<string[]> {
  const row = await (em.getKysely() as Db).withSchema('daicho').selectFrom('workspace_security').select(['ip_allow_list'])
    .where('workspace_id', '=', workspaceId).executeTakeFirst();
  return (row?.ip_allow_list as string[] | undefined) ?? [];
}

export async function setWorkspaceIpAllowList(em: EntityManager, workspaceId: string, entries: readonly string[], updatedBy: string): Promise<void> {
  await (em.getKysely() as Db).withSchema('daicho').insertInto('workspace_security')
    .values({ workspace_id: workspaceId, ip_allow_list: sql`${[...entries]}::text[]`, updated_by: updatedBy })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ip_allow_list: sql`excluded.ip_allow_list`, updated_by: updatedBy, updated_at: sql`now()` }))
    .execute();
}

/** Workspace allow-lists, cached briefly per node: a change reaches every node at once (LISTEN/NOTIFY), a node that missed it within the TTL. */
export interface WorkspaceAllowLists {
  get(workspaceId: string): Promise<readonly IpRange[]>;
  forget(workspaceId: string): Promise<void>;
  /** Hears other nodes' changes. Call before the listener starts. */
  listenTo(listener: NotificationListener): void;
}

const ALLOW_LISTS_CHANNEL = 'daicho_allow_lists';

export function createWorkspaceAllowLists(options: { em: () => EntityManager; ttlMs?: number }): WorkspaceAllowLists {
  const ttlMs = options.ttlMs ?? 5000;
  const entries = new Map<string, { ranges: readonly IpRange[]; until: number }>();
  return {
    async get(workspaceId) {
      const cached = entries.get(workspaceId);
      if (cached && cached.until > Date.now()) return cached.ranges;
      const ranges = parseIpRangeList((await getWorkspaceIpAllowList(options.em(), workspaceId)).join(',')).ranges;
      if (ttlMs > 0) {
        if (entries.size >= 10_000) entries.clear();
        entries.set(workspaceId, { ranges, until: Date.now() + ttlMs });
      }
      return ranges;
    },
    async forget(workspaceId) {
      entries.delete(workspaceId);
      await sendNotification(options.em().getKysely(), ALLOW_LISTS_CHANNEL, workspaceId);
    },
    listenTo(listener) {
      listener.subscribe(ALLOW_LISTS_CHANNEL, (workspaceId) => entries.delete(workspaceId), () => entries.clear());
    },
  };
}
