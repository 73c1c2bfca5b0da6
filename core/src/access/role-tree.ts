import type { RoleDefinition } from '@daicho/sdk';

type Roles = ReadonlyMap<string, { body: RoleDefinition }>;

/** The roles below `roleName` in the hierarchy, at any depth (not the role itself). */
export function subordinateRoles(roles: Roles, roleName: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const [name, role] of roles) {
    const parent = role.body.reportsTo;
    if (parent) children.set(parent, [...(children.get(parent) ?? []), name]);
  }
  const below = new Set<string>();
  const stack = [...(children.get(roleName) ?? [])];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (below.has(name) || name === roleName) continue;
    below.add(name);
    stack.push(...(children.get(name) ?? []));
  }
  return below;
}

/** The roles above `roleName`, nearest first; stops at a cycle (which saving a role refuses). */
export function superiorRoles(roles: Roles, roleName: string): string[] {
  const above: string[] = [];
  let current = roles.get(roleName)?.body.reportsTo;
  while (current && !above.includes(current) && current !== roleName) {
    above.push(current);
    current = roles.get(current)?.body.reportsTo;
  }
  return above;
}
