/**
 * A strict reader of the Suricata 7 / Snort 3 rule grammar, for tests: it accepts the subset Kyoyu writes and
 * throws, naming the position, on anything a device would misread. Sources: Suricata "Rules Format" (header:
 * action protocol source port direction destination port; options `keyword: value;` in parentheses; inside
 * a quoted value `;`, `"` and `\` must be backslash-escaped; in content, `|` opens and closes hex bytes) and the
 * Snort 3 manual (the same header, content sub-options after a comma: `content:"x", nocase;`).
 *
 * It returns the options with their quoted strings decoded to bytes, so a test can check that what a rule
 * matches is exactly the value it was written for.
 */

export interface RuleOption {
  keyword: string;
  /** The text after `:` up to the closing `;`, undefined for a bare keyword. */
  raw?: string;
  /** The decoded bytes of the value's quoted string, if it has one. */
  bytes?: Uint8Array;
  /** What follows the quoted string (Snort 3 sub-options such as `, nocase`), trimmed. */
  after?: string;
}

export interface ParsedRule {
  action: string;
  protocol: string;
  source: string;
  sourcePort: string;
  direction: '->' | '<>';
  destination: string;
  destinationPort: string;
  options: RuleOption[];
}

export class RuleSyntaxError extends Error {
  constructor(
    readonly rule: string,
    readonly position: number,
    reason: string,
  ) {
    super(`${reason} at ${position} in: ${rule}`);
  }
}

const ACTIONS = new Set(['alert', 'pass', 'drop', 'reject', 'rejectsrc', 'rejectdst', 'rejectboth']);
const PROTOCOLS = new Set(['ip', 'tcp', 'udp', 'icmp', 'http', 'tls', 'dns', 'smtp', 'ftp', 'ssh']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;
const VARIABLE = /^\$[A-Z_][A-Z0-9_]*$/;
const KEYWORD = /^[a-z][a-z0-9_.]*$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

function address(text: string): boolean {
  return text === 'any' || VARIABLE.test(text) || IPV4.test(text) || (IPV6.test(text) && !text.includes(':::'));
}

function port(text: string): boolean {
  return text === 'any' || VARIABLE.test(text) || (/^\d{1,5}$/.test(text) && Number(text) <= 65535);
}

/** Keywords whose quoted string reads `|…|` as hex bytes (in `msg`, `|` is itself). */
const HEX_KEYWORDS = new Set(['content', 'uricontent']);

/** Decodes a quoted string's body; throws on a raw `"`/`;`, a dangling backslash, or bad hex. */
function decodeQuoted(rule: string, start: number, body: string, hexAllowed: boolean): Uint8Array {
  const bytes: number[] = [];
  let hex = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const at = start + i;
    if (hex) {
      if (c === '|') {
        hex = false;
        continue;
      }
      if (c === ' ') continue;
      const pair = body.slice(i, i + 2);
      if (!HEX_PAIR.test(pair)) throw new RuleSyntaxError(rule, at, `bad hex byte '${pair}'`);
      bytes.push(parseInt(pair, 16));
      i++;
      continue;
    }
    if (c === '|' && hexAllowed) {
      hex = true;
      continue;
    }
    if (c === '\\') {
      const next = body[i + 1];
      if (next !== ';' && next !== '"' && next !== '\\') throw new RuleSyntaxError(rule, at, 'backslash not before ; " or \\');
      bytes.push(next.charCodeAt(0));
      i++;
      continue;
    }
    if (c === ';' || c === '"') throw new RuleSyntaxError(rule, at, `unescaped '${c}' in a quoted string`);
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new RuleSyntaxError(rule, at, `raw byte 0x${code.toString(16)} in a quoted string`);
    bytes.push(code);
  }
  if (hex) throw new RuleSyntaxError(rule, start + body.length, 'hex section not closed');
  return Uint8Array.from(bytes);
}

export function parseRule(rule: string): ParsedRule {
  if (/[\r\n]/.test(rule)) throw new RuleSyntaxError(rule, rule.search(/[\r\n]/), 'line break inside a rule');
  const open = rule.indexOf(' (');
  if (open < 0 || !rule.endsWith(')')) throw new RuleSyntaxError(rule, 0, 'no option list in parentheses');
  const header = rule.slice(0, open).split(' ');
  if (header.length !== 7) throw new RuleSyntaxError(rule, 0, `header has ${header.length} fields, not 7`);
  const [action, protocol, source, sourcePort, direction, destination, destinationPort] = header as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!ACTIONS.has(action)) throw new RuleSyntaxError(rule, 0, `unknown action '${action}'`);
  if (!PROTOCOLS.has(protocol)) throw new RuleSyntaxError(rule, 0, `unknown protocol '${protocol}'`);
  if (!address(source) || !address(destination))
    throw new RuleSyntaxError(rule, 0, `bad address '${address(source) ? destination : source}'`);
  if (!port(sourcePort) || !port(destinationPort)) throw new RuleSyntaxError(rule, 0, 'bad port');
  if (direction !== '->' && direction !== '<>') throw new RuleSyntaxError(rule, 0, `bad direction '${direction}'`);

  const options: RuleOption[] = [];
  const body = rule.slice(open + 2, -1);
  const base = open + 2;
  let i = 0;
  while (i < body.length) {
    if (body[i] === ' ') {
      if (i === 0 || body[i - 1] !== ';') throw new RuleSyntaxError(rule, base + i, 'space outside an option');
      i++;
      continue;
    }
    const keywordEnd = body.slice(i).search(/[:;]/);
    if (keywordEnd < 0) throw new RuleSyntaxError(rule, base + i, 'option not closed by ;');
    const keyword = body.slice(i, i + keywordEnd);
    if (!KEYWORD.test(keyword)) throw new RuleSyntaxError(rule, base + i, `bad keyword '${keyword}'`);
    i += keywordEnd;
    if (body[i] === ';') {
      options.push({ keyword });
      i++;
      continue;
    }
    i++; // ':'
    const valueStart = i;
    let bytes: Uint8Array | undefined;
    let after: string | undefined;
    if (body[i] === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      if (j >= body.length) throw new RuleSyntaxError(rule, base + i, 'quoted string not closed');
      bytes = decodeQuoted(rule, base + i + 1, body.slice(i + 1, j), HEX_KEYWORDS.has(keyword));
      i = j + 1;
      const end = body.indexOf(';', i);
      if (end < 0) throw new RuleSyntaxError(rule, base + i, 'option not closed by ;');
      after = body.slice(i, end).trim();
      if (after.includes('"')) throw new RuleSyntaxError(rule, base + i, 'a second quoted string in one option');
      if (after !== '' && !/^(, *[a-z_]+( [0-9a-z_]+)?)+$/.test(after))
        throw new RuleSyntaxError(rule, base + i, `bad text after a quoted string: '${after}'`);
      i = end;
    } else {
      const end = body.indexOf(';', i);
      if (end < 0) throw new RuleSyntaxError(rule, base + i, 'option not closed by ;');
      if (/["\\]/.test(body.slice(i, end))) throw new RuleSyntaxError(rule, base + i, 'quote or backslash in an unquoted value');
      i = end;
    }
    options.push({ keyword, raw: body.slice(valueStart, i), ...(bytes ? { bytes } : {}), ...(after ? { after } : {}) });
    i++; // ';'
  }
  if (!body.endsWith(';')) throw new RuleSyntaxError(rule, rule.length - 1, 'last option not closed by ;');

  const once = (keyword: string) => {
    const found = options.filter((o) => o.keyword === keyword);
    if (found.length !== 1) throw new RuleSyntaxError(rule, 0, `${found.length} '${keyword}' options, not 1`);
    return found[0]!;
  };
  if (!once('msg').bytes) throw new RuleSyntaxError(rule, 0, 'msg is not a quoted string');
  for (const keyword of ['sid', 'rev']) {
    const value = once(keyword).raw ?? '';
    if (!/^[1-9]\d*$/.test(value) || Number(value) > 0xffffffff)
      throw new RuleSyntaxError(rule, 0, `${keyword} '${value}' is not a 32-bit positive integer`);
  }
  return { action, protocol, source, sourcePort, direction, destination, destinationPort, options };
}

export const optionText = (option: RuleOption | undefined): string => (option?.bytes ? new TextDecoder().decode(option.bytes) : '');
