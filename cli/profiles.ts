/**
 * Named endpoints with their credentials, in one JSON file (KYOYU_CONFIG, else ~/.config/kyoyu/profiles.json).
 * The file may hold passwords and keys, so it is private on every write, not only when first created: it is written
 * to a fresh file of mode 600 that then replaces the old one, so a file once left readable by others (an older
 * version, a copy, a chmod) does not stay so, and no reader ever sees half a file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './errors';

export interface Profile {
  endpoint: string;
  username?: string;
  password?: string;
  key?: string;
  tenant?: string;
}

export interface ProfileFile {
  current?: string;
  profiles: Record<string, Profile>;
}

// HOME first, as os.homedir() itself does, but read from process.env so that a test's HOME is seen too.
export const defaultConfigPath = (): string => join(process.env.HOME || homedir(), '.config', 'kyoyu', 'profiles.json');
export const configPath = (): string => process.env.KYOYU_CONFIG ?? defaultConfigPath();

export function readProfiles(path = configPath()): ProfileFile {
  if (!existsSync(path)) return { profiles: {} };
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ProfileFile;
  } catch {
    throw new CliError(`${path} is not valid JSON; fix or delete it`);
  }
}

export function writeProfiles(file: ProfileFile, path = configPath()): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Our own folder is made private even if it existed; a folder KYOYU_CONFIG names (a home, a shared mount) is the
  // user's to set, and the file's own mode already keeps others out.
  if (dir === dirname(defaultConfigPath())) chmodSync(dir, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    // The umask may only take bits away, but a leftover of the same name would keep its mode: set it outright.
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
