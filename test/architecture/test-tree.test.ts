import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * The unit tests mirror the code (issue #13): test/unit/<area>/<file>.test.ts (or .property.test.ts) tests
 * shared/core/<area>/<file>.ts, so the tests of a rule are found where the rule is, and a file without one shows.
 * Unit tests of the other layers sit under their layer's name: test/unit/adapters/… for shared/adapters/…,
 * test/unit/runtime/… for shared/runtime/…, test/unit/cli/… for cli/….
 */
const ROOT = resolve(__dirname, '..', '..');
const UNIT = join(ROOT, 'test', 'unit');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [relative(UNIT, path)] : [];
  });
}

/** The source file a unit test stands beside. */
function sourceOf(test: string): string {
  const stem = test.replace(/(\.property)?\.test\.ts$/, '.ts');
  const [layer] = stem.split('/');
  if (layer === 'adapters' || layer === 'runtime') return join('shared', stem);
  if (layer === 'cli') return stem;
  return join('shared', 'core', stem);
}

describe('the unit test tree', () => {
  it('has each unit test beside a source file of the same path', () => {
    const tests = testFiles(UNIT);
    expect(tests.length).toBeGreaterThan(10);

    const orphans = tests
      .filter((test) => !existsSync(join(ROOT, sourceOf(test))))
      .map((test) => `test/unit/${test} tests no ${sourceOf(test)}`);

    expect(orphans).toEqual([]);
  });

  it('maps tests to core, adapters, runtime and cli files', () => {
    const tests = [
      'pipeline/victim-identifiers.property.test.ts',
      'adapters/dynamodb/sealed.test.ts',
      'runtime/secrets.test.ts',
      'cli/help.test.ts',
    ];

    const sources = tests.map(sourceOf);

    expect(sources).toEqual([
      'shared/core/pipeline/victim-identifiers.ts',
      'shared/adapters/dynamodb/sealed.ts',
      'shared/runtime/secrets.ts',
      'cli/help.ts',
    ]);
  });
});
