import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Dependency direction (STYLE.md): core ← adapters ← runtime ← functions; infra reads topology and handlers
 * by path; nothing imports test/ or infra/local (but the tests and the benchmarks in bench/, which run the local
 * platform). A forbidden import fails here, naming file and import.
 */
const ROOT = resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** Where an import points: a repository folder for relative imports, else the package name. */
function target(file: string, specifier: string): { kind: 'local'; path: string } | { kind: 'package'; name: string } {
  if (specifier.startsWith('.')) return { kind: 'local', path: relative(ROOT, resolve(dirname(file), specifier)) };
  const parts = specifier.split('/');
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
}

interface Rule {
  layer: string;
  allowedLocal: string[];
  allowedPackages: (name: string) => boolean;
}

const anyPackage = () => true;
const RULES: Rule[] = [
  // node:url for domainToASCII/domainToUnicode: the WHATWG URL Standard's UTS #46 implementation, a pure function.
  // tldts carries the Public Suffix List, which the registry rules need (a domain must be registrable): that list is
  // data that changes, maintained upstream, never to be hand-written here; tldts itself is pure (no I/O).
  {
    layer: 'shared/core',
    allowedLocal: ['shared/core'],
    allowedPackages: (n) => n === 'zod' || n === 'node:crypto' || n === 'node:url' || n === 'tldts',
  },
  { layer: 'shared/adapters', allowedLocal: ['shared/core', 'shared/adapters'], allowedPackages: anyPackage },
  { layer: 'shared/runtime', allowedLocal: ['shared/core', 'shared/adapters', 'shared/runtime'], allowedPackages: anyPackage },
  { layer: 'functions', allowedLocal: ['shared', 'functions'], allowedPackages: anyPackage },
  // observability-env and funnel: the names the code emits, so that the dashboard reads the same (no imports of their own).
  {
    layer: 'infra/aws',
    allowedLocal: [
      'infra/aws',
      'infra/topology',
      'shared/runtime/resource-env',
      'shared/runtime/observability-env',
      'shared/core/pipeline/stages',
      'shared/core/pipeline/funnel',
    ],
    allowedPackages: anyPackage,
  },
  {
    layer: 'infra/topology.ts',
    allowedLocal: ['shared/runtime/resource-env', 'shared/core/pipeline/stages', 'shared/core/files/keys'],
    allowedPackages: () => false,
  },
];

interface SourceImports {
  /** Path from the repository root. */
  file: string;
  specifiers: string[];
}

function violations(sources: SourceImports[]): string[] {
  const found: string[] = [];
  for (const { file: rel, specifiers } of sources) {
    const rule = RULES.find((r) => rel === r.layer || rel.startsWith(`${r.layer}/`));
    for (const specifier of specifiers) {
      const to = target(join(ROOT, rel), specifier);
      if (to.kind === 'local') {
        if (to.path.startsWith('test') && !rel.startsWith('test')) found.push(`${rel} imports test code (${specifier})`);
        else if (to.path.startsWith('infra/local') && !['infra/local', 'test', 'bench'].some((d) => rel.startsWith(`${d}/`)))
          found.push(`${rel} imports the local platform (${specifier})`);
        else if (
          rule &&
          !rule.allowedLocal.some(
            (allowed) => to.path === allowed || to.path.startsWith(`${allowed}/`) || to.path === allowed.replace(/\.ts$/, ''),
          )
        ) {
          found.push(`${rel} (${rule.layer}) may not import ${to.path} (${specifier})`);
        }
      } else if (rule && !rule.allowedPackages(to.name)) {
        found.push(`${rel} (${rule.layer}) may not import package ${to.name}`);
      }
    }
  }
  return found;
}

describe('architecture', () => {
  it('keeps every layer to its allowed imports', () => {
    const files = ['shared', 'functions', 'infra', 'bench'].flatMap((d) => sourceFiles(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(10);

    expect(violations(files.map((f) => ({ file: relative(ROOT, f), specifiers: importsOf(f) })))).toEqual([]);
  });

  it('names each forbidden import it finds', () => {
    const sources: SourceImports[] = [
      { file: 'shared/core/pipeline/dedupe.ts', specifiers: ['@aws-sdk/client-dynamodb', '../../runtime/config', '../errors', 'zod'] },
      { file: 'shared/adapters/dynamodb/x.ts', specifiers: ['../../runtime/composition-root'] },
      { file: 'functions/taxii/x.ts', specifiers: ['../../infra/local/gateway', '../../test/support/platform'] },
      { file: 'bench/x.ts', specifiers: ['../infra/local/platform', '../test/support/platform'] },
    ];

    expect(violations(sources)).toEqual([
      'shared/core/pipeline/dedupe.ts (shared/core) may not import package @aws-sdk/client-dynamodb',
      'shared/core/pipeline/dedupe.ts (shared/core) may not import shared/runtime/config (../../runtime/config)',
      'shared/adapters/dynamodb/x.ts (shared/adapters) may not import shared/runtime/composition-root (../../runtime/composition-root)',
      'functions/taxii/x.ts imports the local platform (../../infra/local/gateway)',
      'functions/taxii/x.ts imports test code (../../test/support/platform)',
      'bench/x.ts imports test code (../test/support/platform)',
    ]);
  });
});
