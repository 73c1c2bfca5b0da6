import { visitRegExpAST, type AST } from '@eslint-community/regexpp';

/** A construct of a pattern whose cost the ambiguity analysis cannot bound. */
export interface UnanalysableConstruct {
  reason: 'backReference' | 'lookbehind' | 'lookahead' | 'unsupported';
  message: string;
}

/**
 * Finds the first back-reference, look-behind, inline modifier or badly placed look-ahead.
 * Back-references make matching NP-hard in general. A look-behind, or a look-ahead tried at
 * every position or after every backtracking step, scans the rest of the input each time. So
 * look-aheads are allowed only right after a leading `^` (`^(?=.*\d)(?!.*ー).{8,}$`) in a pattern
 * without top-level alternatives: there each runs once per validation.
 */
export function findUnanalysableConstruct(pattern: AST.Pattern): UnanalysableConstruct | undefined {
  const leadingLookaheads = new Set<AST.Node>();
  const [only] = pattern.alternatives;
  if (pattern.alternatives.length === 1 && only!.elements[0]?.type === 'Assertion' && only!.elements[0].kind === 'start') {
    for (const element of only!.elements.slice(1)) {
      if (element.type !== 'Assertion' || element.kind !== 'lookahead') break;
      leadingLookaheads.add(element);
    }
  }
  let found: UnanalysableConstruct | undefined;
  const report = (construct: UnanalysableConstruct) => {
    found ??= construct;
  };
  visitRegExpAST(pattern, {
    onBackreferenceEnter: () => report({ reason: 'backReference', message: 'Back-references (\\1, \\k<name>) are not allowed in validation patterns' }),
    onGroupEnter: (group) => {
      if (group.modifiers) report({ reason: 'unsupported', message: 'Inline modifiers such as (?i:…) are not supported in validation patterns' });
    },
    onAssertionEnter: (assertion) => {
      if (assertion.kind === 'lookbehind') {
        report({ reason: 'lookbehind', message: 'Look-behind assertions ((?<=…), (?<!…)) are not allowed in validation patterns' });
      } else if (assertion.kind === 'lookahead' && !leadingLookaheads.has(assertion)) {
        report({
          reason: 'lookahead',
          message: 'Look-ahead assertions are allowed only right after a leading ^, in a pattern without top-level alternatives (|)',
        });
      }
    },
  });
  return found;
}
