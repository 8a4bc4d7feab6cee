// Bundles the local runner and every Lambda handler with esbuild, one file per handler as NodejsFunction does.
import { build } from 'esbuild';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// @middy/core ships ES modules only, so it is bundled; every other package is loaded from node_modules.
const external = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => name !== '@middy/core');

function tsFilesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFilesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const target = process.argv[2] ?? 'local';
const entryPoints = [
  ...tsFilesUnder(join(root, 'functions')),
  // The benchmarks live outside the platform (bench/), built beside it so they can load the handlers.
  target === 'bench' ? join(root, 'bench', 'main.ts') : join(root, 'infra', 'local', 'main.ts'),
];
await build({
  entryPoints,
  outbase: root,
  outdir: join(root, '.local', 'build'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} entry points: ${entryPoints.map((e) => relative(root, e)).join(', ')}`);
