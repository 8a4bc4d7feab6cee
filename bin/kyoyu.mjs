#!/usr/bin/env node
// The `kyoyu` CLI launcher: bundles cli/kyoyu.ts with esbuild on first use (and when a source changed), then runs it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'cli');
const outfile = join(process.env.KYOYU_LOCAL_DIR ?? join(root, '.local'), 'build', 'cli', 'kyoyu.cjs');
// The CLI is a folder of modules (cli/commands/…): any file changed anywhere under it means a rebuild.
const sources = readdirSync(source, { recursive: true }).map((name) => join(source, name));
const newest = Math.max(...sources.map((path) => statSync(path).mtimeMs));
if (!existsSync(outfile) || statSync(outfile).mtimeMs < newest) {
  const { build } = await import('esbuild');
  const entryPoints = [join(source, 'kyoyu.ts')];
  await build({ entryPoints, outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
}
createRequire(import.meta.url)(outfile);
