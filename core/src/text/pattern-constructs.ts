/** A construct of a pattern that the ReDoS analysis cannot vouch for. */
export interface UnanalysableConstruct {
  reason: 'backReference' | 'lookbehind' | 'lookahead';
  message: string;
}

/**
 * Finds the first back-reference, look-behind or badly placed look-ahead in a pattern that
 * already compiles in Unicode mode (so its syntax is known to be valid). Back-references make
 * matching NP-hard in general; a look-behind, or a look-ahead tried at every position or after
 * every backtracking step, costs a scan of the rest of the input each time, which the ReDoS
 * analysis does not count. So look-aheads are allowed only right after a leading `^`, as in
 * `^(?=.*\d)(?!.*ー).{8,}$`, in a pattern without top-level alternatives: there they run once.
 */
export function findUnanalysableConstruct(pattern: string): UnanalysableConstruct | undefined {
  // Where a look-ahead may start: right after the leading ^ or after the look-aheads that follow it.
  let lookaheadSlot = pattern.startsWith('^') ? 1 : -1;
  let lookaheadSeen = false;
  let topLevelAlternative = false;
  const groupStarts: number[] = [];
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index]!;
    if (character === '\\') {
      const next = pattern[index + 1] ?? '';
      if (!inClass && (/[1-9]/u.test(next) || next === 'k')) {
        return { reason: 'backReference', message: 'Back-references (\\1, \\k<name>) are not allowed in validation patterns' };
      }
      // \p{…}, \u{…}: skip the braces so that their content is not read as syntax.
      const braces = /[pPu]/u.test(next) && pattern[index + 2] === '{';
      index = braces ? pattern.indexOf('}', index + 2) : index + 1;
      if (index === -1) break;
    } else if (inClass) {
      if (character === ']') inClass = false;
    } else if (character === '[') {
      inClass = true;
    } else if (character === '(') {
      if (pattern.startsWith('(?<=', index) || pattern.startsWith('(?<!', index)) {
        return { reason: 'lookbehind', message: 'Look-behind assertions ((?<=…), (?<!…)) are not allowed in validation patterns' };
      }
      if (isLookahead(pattern, index)) {
        if (groupStarts.length !== 0 || index !== lookaheadSlot) return misplacedLookahead();
        lookaheadSeen = true;
      }
      groupStarts.push(index);
    } else if (character === ')') {
      const start = groupStarts.pop();
      if (start === lookaheadSlot && isLookahead(pattern, start)) lookaheadSlot = index + 1;
    } else if (character === '|' && groupStarts.length === 0) {
      topLevelAlternative = true;
    }
  }
  if (lookaheadSeen && topLevelAlternative) return misplacedLookahead();
  return undefined;
}

function misplacedLookahead(): UnanalysableConstruct {
  return {
    reason: 'lookahead',
    message: 'Look-ahead assertions are allowed only right after a leading ^, in a pattern without top-level alternatives (|)',
  };
}

function isLookahead(pattern: string, index: number): boolean {
  return pattern.startsWith('(?=', index) || pattern.startsWith('(?!', index);
}
