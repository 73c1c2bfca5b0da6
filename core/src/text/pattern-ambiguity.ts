import type { AST } from '@eslint-community/regexpp';
import { characterSetOf, noCharacters, overlaps, union, type CharacterSet } from './pattern-character-sets.ts';

/**
 * A place where a backtracking engine has more than one way to go on with the same next
 * character: an alternation whose branches can start alike, or a repetition that can both go
 * on and stop. Only such places can make the engine backtrack.
 */
interface Choice {
  /** The part of the pattern, as written. */
  source: string;
  /** How many ways the engine may try here: Infinity for an unbounded repetition. */
  ways: number;
  /** How many times the choice is met in one match attempt (product of enclosing bounded repetitions). */
  times: number;
  /** Whether the choice sits inside an unbounded repetition: then its ways multiply per iteration. */
  insideUnboundedRepetition: boolean;
  /** Longest text the rest of the pattern after this place can match (Infinity when unbounded). */
  restMaxLength: number;
}

interface Summary {
  nullable: boolean;
  first: CharacterSet;
  maxLength: number;
}

interface Context {
  follow: CharacterSet;
  restMaxLength: number;
  insideUnboundedRepetition: boolean;
  times: number;
}

/** The problem that makes a pattern too slow to match in the worst case, or undefined. */
export interface AmbiguityProblem {
  message: string;
}

// The most alternative ways we let a match attempt try in total (besides the one linear scan an
// unbounded repetition followed by bounded text costs): 2^8, so 10,000 characters stay fast.
const maxWaysLog2 = 8;

/**
 * Finds super-linear backtracking in a parsed pattern (no back-references, look-behinds or
 * misplaced look-aheads: see findUnanalysableConstruct). The pattern is accepted when:
 * - no choice sits inside an unbounded repetition (`(a+)+`, `(a|ab)*`, `(\w+\s?)*`: exponential);
 * - an unbounded repetition that can both go on and stop (`.*` before `\d`) is followed only by
 *   text of bounded length (`\d+\d+` and `[^@]+\.[^@]+$` are quadratic);
 * - all other choices together allow at most 256 ways (`a?a?a?…` is exponential in its length);
 * - a pattern not anchored with `^` matches text of bounded length, since it is tried at every
 *   position of the value (`\d+x` is quadratic).
 * Everything else is deterministic one character ahead, and matching it takes linear time.
 */
export function findAmbiguity(pattern: AST.Pattern): AmbiguityProblem | undefined {
  const summaries = new Map<AST.Node, Summary>();
  const choices: Choice[] = [];
  const summarize = (node: AST.Node): Summary => summaryOf(node, summaries);
  walk(pattern, { follow: noCharacters, restMaxLength: 0, insideUnboundedRepetition: false, times: 1 }, summarize, choices);

  const exponential = choices.find((choice) => choice.insideUnboundedRepetition);
  if (exponential) return { message: `\`${exponential.source}\` can match the same text in more than one way inside a repetition (exponential time)` };
  const polynomial = choices.find((choice) => choice.ways === Infinity && choice.restMaxLength === Infinity);
  if (polynomial) return { message: `\`${polynomial.source}\` can give characters to a later repetition, which makes matching quadratic or worse` };
  const waysLog2 = choices.reduce((total, choice) => total + (choice.ways === Infinity ? 0 : choice.times * Math.log2(choice.ways)), 0);
  if (waysLog2 > maxWaysLog2) return { message: 'The pattern has too many optional or alternative parts that can match the same text' };
  const anchored = pattern.alternatives.every((alternative) => alternative.elements[0]?.type === 'Assertion' && alternative.elements[0].kind === 'start');
  if (!anchored && summarize(pattern).maxLength === Infinity) {
    return { message: 'The pattern has no leading ^ and can match text of any length, so it is tried at every position of a value (quadratic time); anchor it with ^' };
  }
  return undefined;
}

function walk(node: AST.Node, context: Context, summarize: (node: AST.Node) => Summary, choices: Choice[]): void {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      walkAlternatives(node, node.alternatives, context, summarize, choices);
      return;
    case 'Assertion':
      // Leading look-aheads run once, on their own: their end is a success, not a continuation.
      if (node.kind === 'lookahead') walkAlternatives(node, node.alternatives, { follow: noCharacters, restMaxLength: 0, insideUnboundedRepetition: false, times: 1 }, summarize, choices);
      return;
    case 'Alternative':
      node.elements.forEach((element, index) => {
        const rest = node.elements.slice(index + 1);
        walk(element, { ...context, follow: firstOfSequence(rest, context.follow, summarize), restMaxLength: rest.reduce((total, next) => total + summarize(next).maxLength, context.restMaxLength) }, summarize, choices);
      });
      return;
    case 'Quantifier':
      walkRepetition(node, context, summarize, choices);
      return;
    default:
      return;
  }
}

function walkAlternatives(node: AST.Node, alternatives: readonly AST.Alternative[], context: Context, summarize: (node: AST.Node) => Summary, choices: Choice[]): void {
  const starts = alternatives.map((alternative) => {
    const summary = summarize(alternative);
    return summary.nullable ? union(summary.first, context.follow) : summary.first;
  });
  const ambiguous = starts.filter((start, index) => starts.some((other, otherIndex) => otherIndex !== index && overlaps(start, other))).length;
  if (ambiguous > 1) choices.push({ source: node.raw, ways: ambiguous, ...placeOf(context) });
  for (const alternative of alternatives) walk(alternative, context, summarize, choices);
}

function walkRepetition(node: AST.Quantifier, context: Context, summarize: (node: AST.Node) => Summary, choices: Choice[]): void {
  const body = summarize(node.element);
  const repeats = node.max > 1;
  if (repeats && body.nullable) {
    // `(a*)*`, `(a?)+`: an iteration may match nothing, so iterations can be split up any way.
    choices.push({ source: node.raw, ways: Infinity, ...placeOf(context), insideUnboundedRepetition: true });
    return;
  }
  if (node.max > node.min && overlaps(body.first, context.follow)) {
    choices.push({ source: node.raw, ways: node.max === Infinity ? Infinity : node.max - node.min + 1, ...placeOf(context) });
  }
  walk(
    node.element,
    {
      follow: repeats ? union(body.first, context.follow) : context.follow,
      restMaxLength: (repeats ? (node.max - 1) * body.maxLength : 0) + context.restMaxLength,
      insideUnboundedRepetition: context.insideUnboundedRepetition || node.max === Infinity,
      times: node.max === Infinity ? context.times : context.times * node.max,
    },
    summarize,
    choices,
  );
}

function placeOf(context: Context): Pick<Choice, 'times' | 'insideUnboundedRepetition' | 'restMaxLength'> {
  return { times: context.times, insideUnboundedRepetition: context.insideUnboundedRepetition, restMaxLength: context.restMaxLength };
}

/** The characters a sequence can start with, and `follow` as well when it can match nothing. */
function firstOfSequence(elements: readonly AST.Node[], follow: CharacterSet, summarize: (node: AST.Node) => Summary): CharacterSet {
  const sets: CharacterSet[] = [];
  for (const element of elements) {
    const summary = summarize(element);
    sets.push(summary.first);
    if (!summary.nullable) return union(...sets);
  }
  return union(...sets, follow);
}

function summaryOf(node: AST.Node, summaries: Map<AST.Node, Summary>): Summary {
  const known = summaries.get(node);
  if (known) return known;
  const summarize = (child: AST.Node) => summaryOf(child, summaries);
  let summary: Summary;
  switch (node.type) {
    case 'Character':
    case 'CharacterClass':
    case 'CharacterSet':
      summary = { nullable: false, first: characterSetOf(node), maxLength: 1 };
      break;
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup': {
      const alternatives = node.alternatives.map(summarize);
      summary = {
        nullable: alternatives.some((alternative) => alternative.nullable),
        first: union(...alternatives.map((alternative) => alternative.first)),
        maxLength: Math.max(0, ...alternatives.map((alternative) => alternative.maxLength)),
      };
      break;
    }
    case 'Alternative':
      summary = {
        nullable: node.elements.every((element) => summarize(element).nullable),
        first: firstOfSequence(node.elements, noCharacters, summarize),
        maxLength: node.elements.reduce((total, element) => total + summarize(element).maxLength, 0),
      };
      break;
    case 'Quantifier': {
      const body = summarize(node.element);
      summary = {
        nullable: node.min === 0 || body.nullable,
        first: body.first,
        maxLength: body.maxLength === 0 ? 0 : node.max * body.maxLength,
      };
      break;
    }
    default:
      // Assertions match no characters. (Back-references are refused before the analysis.)
      summary = { nullable: true, first: noCharacters, maxLength: 0 };
  }
  summaries.set(node, summary);
  return summary;
}
