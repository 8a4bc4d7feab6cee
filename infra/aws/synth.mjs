// `npx cdk synth|deploy`: bundles the TypeScript CDK app with esbuild and runs it, offline.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(root, '.local', 'cdk', 'app.js');
await build({
  entryPoints: [join(root, 'infra', 'aws', 'app.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});
execFileSync(process.execPath, [outfile], { stdio: 'inherit', env: { ...process.env, KYOYU_REPO_ROOT: root } });
