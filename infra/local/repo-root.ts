import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file whether it runs from source (jest) or from the esbuild bundle. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kyoyu') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No kyoyu package.json above ${from}`);
    dir = parent;
  }
}
