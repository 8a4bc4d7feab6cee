import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../infra/local/repo-root';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as a user runs it: the npm bin launcher, in its own process, with its own profile file under `dir`; more
 * environment variables and text on its standard input when asked.
 */
export function cliRunner(dir: () => string) {
  const kyoyuWith = (extra: { env?: Record<string, string>; stdin?: string }, ...args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'kyoyu.mjs'), ...args], {
        env: { ...process.env, KYOYU_CONFIG: join(dir(), 'profiles.json'), KYOYU_LOCAL_DIR: join(dir(), 'local'), ...extra.env },
      });
      child.stdin.end(extra.stdin ?? '');
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  const kyoyu = (...args: string[]) => kyoyuWith({}, ...args);
  const ok = async (...args: string[]): Promise<string> => {
    const run = await kyoyu(...args);
    if (run.code !== 0) throw new Error(`kyoyu ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return run.stdout;
  };
  return { kyoyu, kyoyuWith, ok, json: async <T>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '--json')) as T };
}
