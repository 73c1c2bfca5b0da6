import type { RoleDefinition } from '@daicho/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subordinateRoles, superiorRoles } from './role-tree.ts';

/** A random hierarchy: role i reports to some role before it (or to none), so there is no loop. */
const hierarchy = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc.tuple(...Array.from({ length: size }, (_, index) => (index === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: index - 1 })))).map((parents) =>
    new Map(parents.map((parent, index) => [`r${index}`, { body: { name: `r${index}`, labels: { en: `r${index}` }, permissionSets: [], ...(parent >= 0 ? { reportsTo: `r${parent}` } : {}) } as RoleDefinition }])),
  ),
);

describe('the role hierarchy', () => {
  it('has b below a exactly when a is above b', () => {
    fc.assert(
      fc.property(hierarchy, (roles) => {
        for (const a of roles.keys()) {
          for (const b of roles.keys()) {
            expect(subordinateRoles(roles, a).has(b)).toBe(superiorRoles(roles, b).includes(a));
          }
        }
      }),
      { numRuns: 200, seed: 4 },
    );
  });

  it('never counts a role as its own subordinate, and stops at a loop saved behind its back', () => {
    const loop = new Map([
      ['a', { body: { name: 'a', labels: { en: 'a' }, permissionSets: [], reportsTo: 'b' } as RoleDefinition }],
      ['b', { body: { name: 'b', labels: { en: 'b' }, permissionSets: [], reportsTo: 'a' } as RoleDefinition }],
    ]);
    expect([...subordinateRoles(loop, 'a')]).toEqual(['b']);
    expect(superiorRoles(loop, 'a')).toEqual(['b']);
  });
});
