import fc from 'fast-check';
import { refang } from '../../../shared/core/normalize/canonical';

const MiB = 1024 * 1024;

// What refang did before its blank runs were guarded: the same result, in quadratic time on long runs of blanks.
const unguardedRefang = (value: string) =>
  value
    .trim()
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/^fxp:\/\//i, 'ftp://')
    .replace(/\[(\.|dot)\]|\((\.|dot)\)|\{(\.|dot)\}|\s+dot\s+/gi, '.')
    .replace(/\[(@|at)\]|\((@|at)\)|\s+at\s+/gi, '@')
    .replace(/\[:\]/g, ':')
    .replace(/\[\/\]/g, '/');

describe('refang', () => {
  it.each([
    ['hxxps://evil[.]example(dot)com/a', 'https://evil.example.com/a'],
    ['evil dot example DOT com', 'evil.example.com'],
    ['taro at example [.] jp', 'taro@example . jp'],
    ['billing[@]evil{dot}example', 'billing@evil.example'],
    ['a dot  dot b', 'a.dot b'],
  ])('refangs %s', (defanged, expected) => {
    expect(refang(defanged)).toBe(expected);
  });

  it('gives what the unguarded expressions give, on generated text', () => {
    const text = fc.string({
      unit: fc.constantFrom(' ', '\t', '\u3000', 'dot', 'DoT', 'at', 'a', 'd', '.', '[', ']', '(', ')', '{', '}', '@', 'hxxp://'),
      maxLength: 30,
    });
    fc.assert(
      fc.property(text, (t) => {
        expect(refang(t)).toBe(unguardedRefang(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves 1 MiB of blanks between two words alone, and refangs a dot after them', () => {
    const blanks = ' \t'.repeat(MiB / 2);

    const untouched = refang(`a${blanks}b`);
    const refanged = refang(`evil${blanks}dot${blanks}example${blanks}at${'\u3000'.repeat(MiB)}x`);

    expect(untouched).toBe(`a${blanks}b`);
    expect(refanged).toBe(`evil.example@x`);
  });
});
