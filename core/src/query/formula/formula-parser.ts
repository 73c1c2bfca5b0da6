// Formula text → syntax tree, by recursive descent. Precedence, loosest first:
// OR / || · AND / && · NOT / ! · comparisons (= == <> != < <= > >=) · & · + - · * / · unary - +.
// Keywords and function names are case-insensitive; field names are not.

import { queryErrors, type FormulaProblem, type FormulaProblemCode } from '../query-errors.ts';
import type { FormulaAst, FormulaNode } from './formula-ast.ts';

export const formulaLimits = {
  maxLength: 4000,
  /** Nesting of parentheses, function calls and prefix operators. */
  maxDepth: 50,
  /** Nodes once referenced formula fields are inlined. */
  maxExpandedSize: 10_000,
  maxLookups: 3,
} as const;

type Token =
  | { kind: 'number' | 'identifier' | 'operator'; text: string; start: number; end: number }
  | { kind: 'text'; value: string; start: number; end: number }
  | { kind: 'end'; start: number; end: number };

/** The line and column (1-based) of an offset, for problems. */
export function formulaProblemAt(text: string, position: number, code: FormulaProblemCode, message: string): FormulaProblem {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { position, line, column, code, message };
}

function fail(text: string, position: number, code: FormulaProblemCode, message: string): never {
  throw queryErrors.invalidFormula([formulaProblemAt(text, position, code, message)]);
}

const operators = ['&&', '||', '==', '!=', '<>', '<=', '>=', '+', '-', '*', '/', '&', '=', '<', '>', '!', '(', ')', ',', '.'];
const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (/\s/.test(char)) {
      index++;
    } else if (text.startsWith('/*', index)) {
      const close = text.indexOf('*/', index + 2);
      if (close === -1) fail(text, index, 'syntax', 'The comment is not closed with */');
      index = close + 2;
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(text[index + 1] ?? ''))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)/.exec(text.slice(index))!;
      if (/[A-Za-z_]/.test(text[index + match[0].length] ?? '')) fail(text, index, 'syntax', 'A number runs into a name');
      tokens.push({ kind: 'number', text: match[0], start: index, end: index + match[0].length });
      index += match[0].length;
    } else if (char === "'" || char === '"') {
      let value = '';
      let cursor = index + 1;
      for (;;) {
        const next = text[cursor];
        if (next === undefined) fail(text, index, 'syntax', 'The text is not closed with a quote');
        if (next === char) break;
        if (next === '\u0000') fail(text, cursor, 'syntax', 'Text cannot contain the NUL character');
        if (next === '\\') {
          const escaped = escapes[text[cursor + 1] ?? ''];
          if (escaped === undefined) fail(text, cursor, 'syntax', 'Unknown escape: use \\\\, \\\', \\", \\n, \\r or \\t');
          value += escaped;
          cursor += 2;
        } else {
          value += next;
          cursor++;
        }
      }
      tokens.push({ kind: 'text', value, start: index, end: cursor + 1 });
      index = cursor + 1;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index))!;
      tokens.push({ kind: 'identifier', text: match[0], start: index, end: index + match[0].length });
      index += match[0].length;
    } else {
      const operator = operators.find((candidate) => text.startsWith(candidate, index));
      if (!operator) fail(text, index, 'syntax', `Unexpected character ${JSON.stringify(char)}`);
      tokens.push({ kind: 'operator', text: operator, start: index, end: index + operator.length });
      index += operator.length;
    }
  }
  tokens.push({ kind: 'end', start: text.length, end: text.length });
  return tokens;
}

const comparisonNames: Record<string, string> = { '=': 'EQ', '==': 'EQ', '<>': 'NE', '!=': 'NE', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
const keywords = new Set(['TRUE', 'FALSE', 'NULL', 'AND', 'OR', 'NOT']);

/**
 * Parses a formula into a syntax tree with source positions.
 * @throws DaichoError `INVALID_FORMULA` with one problem (`syntax`, `tooLong` or `tooDeep`) and its position.
 * @example
 * parseFormula('IF(amount > 1000, "large", "small")');
 */
export function parseFormula(text: string): FormulaAst {
  if (text.length > formulaLimits.maxLength) {
    fail(text, formulaLimits.maxLength, 'tooLong', `A formula has at most ${formulaLimits.maxLength} characters`);
  }
  const tokens = tokenize(text);
  let position = 0;
  let depth = 0;

  const peek = (): Token => tokens[position]!;
  const advance = (): Token => tokens[position++]!;
  const isOperator = (token: Token, ...texts: string[]): token is Token & { kind: 'operator'; text: string } =>
    token.kind === 'operator' && texts.includes(token.text);
  const isKeyword = (token: Token, word: string): boolean => token.kind === 'identifier' && token.text.toUpperCase() === word;
  const describe = (token: Token): string =>
    token.kind === 'end' ? 'the end of the formula' : token.kind === 'text' ? 'a text' : JSON.stringify(token.text);

  function expect(operator: string): Token {
    const token = advance();
    if (!isOperator(token, operator)) fail(text, token.start, 'syntax', `Expected "${operator}" but found ${describe(token)}`);
    return token;
  }

  function nested<T>(start: number, parse: () => T): T {
    depth++;
    if (depth > formulaLimits.maxDepth) fail(text, start, 'tooDeep', `A formula nests at most ${formulaLimits.maxDepth} levels`);
    const result = parse();
    depth--;
    return result;
  }

  const call = (name: string, args: FormulaNode[], start: number, end: number, isOperatorCall = true): FormulaNode => ({
    kind: 'call',
    name,
    args,
    start,
    end,
    isOperator: isOperatorCall,
  });

  function binaryLevel(next: () => FormulaNode, match: (token: Token) => string | undefined): FormulaNode {
    let left = next();
    for (let name = match(peek()); name !== undefined; name = match(peek())) {
      advance();
      const right = next();
      left = call(name, [left, right], left.start, right.end);
    }
    return left;
  }

  // After an operand, AND and OR are infix operators; where a value is expected, AND(…) and
  // OR(…) are function calls (parsePrimary).
  const parseOr = (): FormulaNode => binaryLevel(parseAnd, (token) => (isOperator(token, '||') || isKeyword(token, 'OR') ? 'OR' : undefined));
  const parseAnd = (): FormulaNode => binaryLevel(parseNot, (token) => (isOperator(token, '&&') || isKeyword(token, 'AND') ? 'AND' : undefined));

  function parseNot(): FormulaNode {
    const token = peek();
    if (isOperator(token, '!') || isKeyword(token, 'NOT')) {
      advance();
      const operand = nested(token.start, parseNot);
      return call('NOT', [operand], token.start, operand.end);
    }
    return parseComparison();
  }

  const parseComparison = (): FormulaNode =>
    binaryLevel(parseConcat, (token) => (token.kind === 'operator' ? comparisonNames[token.text] : undefined));
  const parseConcat = (): FormulaNode => binaryLevel(parseAdditive, (token) => (isOperator(token, '&') ? 'CONCAT' : undefined));
  const parseAdditive = (): FormulaNode =>
    binaryLevel(parseMultiplicative, (token) => (isOperator(token, '+') ? 'ADD' : isOperator(token, '-') ? 'SUB' : undefined));
  const parseMultiplicative = (): FormulaNode =>
    binaryLevel(parseUnary, (token) => (isOperator(token, '*') ? 'MUL' : isOperator(token, '/') ? 'DIV' : undefined));

  function parseUnary(): FormulaNode {
    const token = peek();
    if (isOperator(token, '-', '+')) {
      advance();
      const operand = nested(token.start, parseUnary);
      return token.text === '-' ? call('NEG', [operand], token.start, operand.end) : operand;
    }
    return parsePrimary();
  }

  function parsePrimary(): FormulaNode {
    // NOT where an operand is expected (`a = NOT b`) applies to what follows, as in SQL.
    if (isOperator(peek(), '!') || isKeyword(peek(), 'NOT')) return parseNot();
    const token = advance();
    if (token.kind === 'number') return { kind: 'number', text: token.text, start: token.start, end: token.end };
    if (token.kind === 'text') return { kind: 'text', value: token.value, start: token.start, end: token.end };
    if (isOperator(token, '(')) {
      const inner = nested(token.start, parseOr);
      const close = expect(')');
      return { ...inner, start: token.start, end: close.end };
    }
    if (token.kind !== 'identifier') fail(text, token.start, 'syntax', `Expected a value but found ${describe(token)}`);
    const upper = token.text.toUpperCase();
    if (isOperator(peek(), '(')) return parseCall(token, upper);
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE', start: token.start, end: token.end };
    if (upper === 'NULL') return { kind: 'null', start: token.start, end: token.end };
    if (keywords.has(upper)) fail(text, token.start, 'syntax', `${upper} needs something to work on`);
    let end = token.end;
    const segments = [token.text];
    while (isOperator(peek(), '.')) {
      advance();
      const segment = advance();
      if (segment.kind !== 'identifier') fail(text, segment.start, 'syntax', `Expected a field name after "." but found ${describe(segment)}`);
      segments.push(segment.text);
      end = segment.end;
    }
    return { kind: 'field', path: segments.join('.'), start: token.start, end };
  }

  function parseCall(nameToken: Token & { start: number }, name: string): FormulaNode {
    return nested(nameToken.start, () => {
      advance(); // (
      const args: FormulaNode[] = [];
      if (!isOperator(peek(), ')')) {
        args.push(parseOr());
        while (isOperator(peek(), ',')) {
          advance();
          args.push(parseOr());
        }
      }
      const close = expect(')');
      return call(name, args, nameToken.start, close.end, false);
    });
  }

  const root = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') fail(text, rest.start, 'syntax', `Unexpected ${describe(rest)}: an operator or the end was expected`);
  return { text, root };
}
