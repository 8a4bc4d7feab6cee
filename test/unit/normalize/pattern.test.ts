import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PATTERN_NESTING, parsePattern, PatternError } from '../../../shared/core/normalize/pattern';
import { CAPEC_CORPUS, STIX_EXAMPLES } from '../../support/fixtures';

describe('STIX patterning', () => {
  it.each([
    "[ipv4-addr:value = '198.51.100.1']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "[email-message:from_ref.value MATCHES '.+@evil\\\\.example$' AND email-message:subject LIKE 'Invoice%']",
    "[network-traffic:dst_ref.value IN ('198.51.100.1', '198.51.100.2') AND network-traffic:dst_port NOT = 443]",
    "([file:name = 'a.exe'] FOLLOWEDBY [process:command_line LIKE '%cmd%']) WITHIN 300 SECONDS",
    "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Run'] REPEATS 3 TIMES START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'",
    "[x509-certificate:issuer = 'CN=evil'] OR [artifact:payload_bin = b'aGVsbG8=']",
    "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
  ])('accepts %s', (pattern) => {
    expect(() => parsePattern(pattern)).not.toThrow();
  });

  it.each([
    ["[ipv4-addr:value = '1.2.3.4'", 'unbalanced bracket opened at 0 at 28'],
    ["[ipv4-addr:value '1.2.3.4']", 'expected a comparison operator after ipv4-addr:value at 17'],
    ["ipv4-addr:value = '1.2.3.4'", "expected '[' to open an observation, found 'ipv4-addr:value' at 0"],
    ["[ipv4-addr:value = '1.2.3.4] ", 'unterminated string literal at 19'],
    ["[ipv4-addr:value = '1.2.3.4'] WITHIN 5", 'expected SECONDS before the end at 38'],
    ["[ipv4-addr:value = '1.2.3.4'] WITHIN 5 MINUTES", "expected SECONDS, found 'MINUTES' at 39"],
    ["[ipv4-addr:value = '1.2.3.4'] AND", "expected '[' before the end at 33"],
  ])('rejects %s with the position and reason', (pattern, message) => {
    expect(() => parsePattern(pattern)).toThrow(message);
    expect(() => parsePattern(pattern)).toThrow(PatternError);
  });

  it('reads comparisons with their values', () => {
    expect(parsePattern("[domain-name:value = 'evil.example' OR url:value IN ('http://a.example/', 'http://b.example/')]")).toEqual([
      { objectType: 'domain-name', path: 'value', operator: '=', negated: false, values: ['evil.example'] },
      { objectType: 'url', path: 'value', operator: 'IN', negated: false, values: ['http://a.example/', 'http://b.example/'] },
    ]);
  });

  it('parses every indicator pattern of the OASIS examples and the CAPEC corpus', () => {
    const files = readdirSync(STIX_EXAMPLES, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(STIX_EXAMPLES, name));
    const patterns = [...files, CAPEC_CORPUS]
      .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { pattern?: unknown; objects?: Array<{ pattern?: unknown }> })
      .flatMap((parsed) => parsed.objects ?? [parsed])
      .map((o) => o.pattern)
      .filter((p): p is string => typeof p === 'string');

    // The OASIS examples hold 43 indicator patterns; CAPEC (and ATT&CK) carry no indicators.
    expect(patterns).toHaveLength(43);
    for (const pattern of patterns) expect(() => parsePattern(pattern)).not.toThrow();
  });
});

describe('STIX patterning on crafted patterns', () => {
  const MiB = 1024 * 1024;

  it.each([
    ['observations', (n: number) => `${'('.repeat(n)}[ipv4-addr:value = '198.51.100.1']${')'.repeat(n)}`],
    ['comparisons', (n: number) => `[${'('.repeat(n)}ipv4-addr:value = '198.51.100.1'${')'.repeat(n)}]`],
  ])('refuses 10,000 nested parentheses around %s, naming the limit, without overflowing the stack', (_label, nest) => {
    const pattern = nest(10_000);

    const outcome = (() => {
      try {
        return parsePattern(pattern);
      } catch (error) {
        return error;
      }
    })();

    expect(outcome).toBeInstanceOf(PatternError);
    expect((outcome as PatternError).message).toBe(
      `parentheses and brackets nested deeper than 64 levels (the limit) at ${MAX_PATTERN_NESTING}`,
    );
  });

  it('accepts nesting up to the limit, brackets included, and refuses one level more', () => {
    const nest = (n: number) => `${'('.repeat(n - 1)}[ipv4-addr:value = '198.51.100.1']${')'.repeat(n - 1)}`;

    expect(parsePattern(nest(MAX_PATTERN_NESTING))).toHaveLength(1);
    expect(() => parsePattern(nest(MAX_PATTERN_NESTING + 1))).toThrow(PatternError);
  });

  it('reads a 1 MiB string literal with escapes whole', () => {
    const value = `${"\\'".repeat(MiB / 4)}${'a'.repeat(MiB / 2)}`;

    const [comparison] = parsePattern(`[file:name = '${value}']`);

    expect(comparison!.values).toEqual([`${"'".repeat(MiB / 4)}${'a'.repeat(MiB / 2)}`]);
  });

  it('reads every comparison of a 1 MiB pattern, and a 1 MiB object path', () => {
    const more = Math.floor(MiB / 36);
    const comparisons = parsePattern(`[ipv4-addr:value = '198.51.100.1'${" OR ipv4-addr:value = '198.51.100.1'".repeat(more)}]`);
    const segments = Math.floor(MiB / 7);
    const [deep] = parsePattern(`[file:extensions${".'x'[0]".repeat(segments)} = 1]`);

    expect(comparisons).toHaveLength(more + 1);
    expect(comparisons[more]).toEqual({ objectType: 'ipv4-addr', path: 'value', operator: '=', negated: false, values: ['198.51.100.1'] });
    expect(deep!.path).toBe(`extensions${".'x'[0]".repeat(segments)}`);
  });
});
