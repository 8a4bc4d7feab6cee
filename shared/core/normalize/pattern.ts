/**
 * STIX patterning (STIX 2.1 §9): a recursive-descent checker that accepts what the grammar accepts and rejects
 * everything else with the 0-based position and a reason ("expected ']' at 31"). It also returns the
 * comparisons it read, which the pipeline uses to look at the values an indicator matches.
 *
 * Members write these patterns, so the checker is linear in the pattern's length: the tokenizer reads each
 * character once (sticky expressions at the current position, never a copy of the rest of the input), and the
 * parser reads each token once. Its recursion follows the nesting of parentheses and brackets, which is therefore
 * limited: a pattern nested deeper than MAX_PATTERN_NESTING is refused rather than left to overflow the stack.
 */

/**
 * How deep parentheses and brackets may nest, together. STIX 2.1 §9 sets no limit; real patterns nest a few
 * levels. Deeper nesting is refused with a PatternError instead of a stack overflow, which would otherwise fail
 * the stage and hide the pattern's values from the warning lists.
 */
export const MAX_PATTERN_NESTING = 64;

export class PatternError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`${reason} at ${position}`);
  }
}

export interface PatternComparison {
  objectType: string;
  path: string;
  operator: string;
  negated: boolean;
  values: string[];
}

type TokenKind = 'lbracket' | 'rbracket' | 'lparen' | 'rparen' | 'comma' | 'string' | 'typed' | 'number' | 'word' | 'op' | 'path' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  at: number;
}

const OPERATORS = ['!=', '<=', '>=', '=', '<', '>'];
const WORD_OPERATORS = new Set(['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'IN']);
const SINGLE: Record<string, TokenKind> = { '[': 'lbracket', ']': 'rbracket', '(': 'lparen', ')': 'rparen', ',': 'comma' };

const BLANK = /\s/;
const NUMBER = /-?\d+(\.\d+)?/y;
// An object path: type:property(.property | [index] | .'quoted key')*
const PATH = /[a-z0-9][a-z0-9-]*:[A-Za-z0-9_]+(?:\.(?:[A-Za-z0-9_]+|'(?:[^'\\]|\\.)*')|\[(?:\*|\d+)\])*/y;
const WORD = /[A-Za-z_][A-Za-z0-9_-]*/y;

/** The match of a sticky expression at position i, if any. */
function matchAt(expression: RegExp, input: string, i: number): string | undefined {
  expression.lastIndex = i;
  return expression.exec(input)?.[0];
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (BLANK.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    const single = Object.hasOwn(SINGLE, ch) ? SINGLE[ch] : undefined;
    if (single) {
      tokens.push({ kind: single, text: ch, value: ch, at });
      i++;
      continue;
    }
    const typed = (ch === 't' || ch === 'h' || ch === 'b') && input[i + 1] === "'";
    if (ch === "'" || typed) {
      const start = typed ? i + 1 : i;
      let j = start + 1;
      // The value is copied a run at a time, between escapes, rather than a character at a time.
      const parts: string[] = [];
      let runStart = j;
      for (; j < input.length && input[j] !== "'"; j++) {
        if (input[j] === '\\') {
          parts.push(input.slice(runStart, j));
          j++;
          runStart = j;
          if (j >= input.length) break;
        }
      }
      parts.push(input.slice(runStart, j));
      const value = parts.join('');
      if (j >= input.length) throw new PatternError(at, 'unterminated string literal');
      tokens.push({ kind: typed ? 'typed' : 'string', text: input.slice(at, j + 1), value: typed ? `${ch}:${value}` : value, at });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, value: op, at });
      i += op.length;
      continue;
    }
    const number = matchAt(NUMBER, input, i);
    if (number) {
      tokens.push({ kind: 'number', text: number, value: number, at });
      i += number.length;
      continue;
    }
    const path = matchAt(PATH, input, i);
    if (path) {
      tokens.push({ kind: 'path', text: path, value: path, at });
      i += path.length;
      continue;
    }
    const word = matchAt(WORD, input, i);
    if (word) {
      tokens.push({ kind: 'word', text: word, value: word, at });
      i += word.length;
      continue;
    }
    throw new PatternError(at, `unexpected character '${ch}'`);
  }
  tokens.push({ kind: 'end', text: '', value: '', at: input.length });
  return tokens;
}

export function parsePattern(input: string): PatternComparison[] {
  const tokens = tokenize(input);
  const comparisons: PatternComparison[] = [];
  let p = 0;
  let depth = 0;
  const peek = () => tokens[p]!;
  const next = () => tokens[p++]!;
  const isWord = (t: Token, w: string) => t.kind === 'word' && t.value.toUpperCase() === w;
  const expect = (kind: TokenKind, what: string) => {
    const t = next();
    if (t.kind !== kind)
      throw new PatternError(t.at, t.kind === 'end' ? `expected ${what} before the end` : `expected ${what}, found '${t.text}'`);
    return t;
  };

  /** Enters a parenthesis or bracket opened by the token `open`, refusing nesting deeper than the limit. */
  const nested = (open: Token, inside: () => void) => {
    if (++depth > MAX_PATTERN_NESTING) {
      throw new PatternError(open.at, `parentheses and brackets nested deeper than ${MAX_PATTERN_NESTING} levels (the limit)`);
    }
    inside();
    depth--;
  };

  const expectWord = (word: string) => {
    const t = next();
    if (!isWord(t, word))
      throw new PatternError(t.at, t.kind === 'end' ? `expected ${word} before the end` : `expected ${word}, found '${t.text}'`);
  };

  const value = (): string => {
    const t = next();
    if (t.kind === 'string' || t.kind === 'typed' || t.kind === 'number') return t.value;
    if (isWord(t, 'TRUE') || isWord(t, 'FALSE')) return t.value.toLowerCase();
    throw new PatternError(t.at, t.kind === 'end' ? 'expected a value before the end' : `expected a value, found '${t.text}'`);
  };

  const comparison = () => {
    const path = expect('path', 'an object path such as ipv4-addr:value');
    let negated = false;
    if (isWord(peek(), 'NOT')) {
      next();
      negated = true;
    }
    const opToken = next();
    const operator =
      opToken.kind === 'op'
        ? opToken.value
        : opToken.kind === 'word' && WORD_OPERATORS.has(opToken.value.toUpperCase())
          ? opToken.value.toUpperCase()
          : undefined;
    if (!operator) throw new PatternError(opToken.at, `expected a comparison operator after ${path.text}`);
    let values: string[];
    if (operator === 'IN') {
      expect('lparen', "'(' after IN");
      values = [value()];
      while (peek().kind === 'comma') {
        next();
        values.push(value());
      }
      expect('rparen', "')' closing the IN list");
    } else {
      values = [value()];
    }
    const [objectType, ...rest] = path.value.split(':');
    comparisons.push({ objectType: objectType!, path: rest.join(':'), operator, negated, values });
  };

  const comparisonExpression = (): void => {
    const term = () => {
      if (peek().kind === 'lparen') {
        const open = next();
        nested(open, comparisonExpression);
        if (peek().kind !== 'rparen') throw new PatternError(peek().at, `unbalanced parenthesis opened at ${open.at}`);
        next();
      } else comparison();
    };
    term();
    while (isWord(peek(), 'AND') || isWord(peek(), 'OR')) {
      next();
      term();
    }
  };

  const qualifiers = () => {
    for (;;) {
      const t = peek();
      if (isWord(t, 'WITHIN')) {
        next();
        expect('number', 'a number of seconds after WITHIN');
        expectWord('SECONDS');
      } else if (isWord(t, 'REPEATS')) {
        next();
        expect('number', 'a count after REPEATS');
        expectWord('TIMES');
      } else if (isWord(t, 'START')) {
        next();
        expect('typed', "a timestamp t'…' after START");
        expectWord('STOP');
        expect('typed', "a timestamp t'…' after STOP");
      } else return;
    }
  };

  const observationExpression = (): void => {
    const observation = () => {
      const t = peek();
      if (t.kind === 'lbracket') {
        next();
        nested(t, comparisonExpression);
        if (peek().kind !== 'rbracket') throw new PatternError(peek().at, `unbalanced bracket opened at ${t.at}`);
        next();
      } else if (t.kind === 'lparen') {
        next();
        nested(t, observationExpression);
        if (peek().kind !== 'rparen') throw new PatternError(peek().at, `unbalanced parenthesis opened at ${t.at}`);
        next();
      } else {
        throw new PatternError(
          t.at,
          t.kind === 'end' ? "expected '[' before the end" : `expected '[' to open an observation, found '${t.text}'`,
        );
      }
      qualifiers();
    };
    observation();
    while (isWord(peek(), 'AND') || isWord(peek(), 'OR') || isWord(peek(), 'FOLLOWEDBY')) {
      next();
      observation();
    }
  };

  observationExpression();
  if (peek().kind !== 'end') throw new PatternError(peek().at, `unexpected '${peek().text}' after the pattern`);
  return comparisons;
}
