import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProfiles, writeProfiles, type ProfileFile } from '../../../cli/profiles';

const mode = (path: string) => statSync(path).mode & 0o777;
const profile = (password: string): ProfileFile => ({
  current: 'rail',
  profiles: { rail: { endpoint: 'http://127.0.0.1:8421', username: 'rail-admin', password } },
});

let dir: string;
let home: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyoyu-profiles-'));
  home = process.env.HOME;
});
afterEach(() => {
  process.env.HOME = home;
  rmSync(dir, { recursive: true, force: true });
});

describe('the profile file holds secrets, so it is private on every write', () => {
  it('creates the file with mode 600 in a new folder of mode 700', () => {
    const path = join(dir, 'new', 'kyoyu', 'profiles.json');

    writeProfiles(profile('s3cret'), path);

    expect([mode(path), mode(join(dir, 'new', 'kyoyu'))]).toEqual([0o600, 0o700]);
    expect(readProfiles(path)).toEqual(profile('s3cret'));
  });

  it('makes a file that others could read private again when it rewrites it, and leaves no temporary file', () => {
    const path = join(dir, 'profiles.json');
    writeFileSync(path, JSON.stringify(profile('old')));
    chmodSync(path, 0o644);

    writeProfiles(profile('new'), path);

    expect(mode(path)).toBe(0o600);
    expect(readProfiles(path).profiles.rail!.password).toBe('new');
    expect(readdirSync(dir)).toEqual(['profiles.json']);
  });

  it('makes its own folder (~/.config/kyoyu) private again, even if it existed open', () => {
    process.env.HOME = dir;
    const folder = join(dir, '.config', 'kyoyu');
    mkdirSync(folder, { recursive: true, mode: 0o755 });
    chmodSync(folder, 0o755);

    writeProfiles(profile('s3cret'), join(folder, 'profiles.json'));

    expect([mode(folder), mode(join(folder, 'profiles.json'))]).toEqual([0o700, 0o600]);
  });

  it('says which file is broken rather than overwriting it', () => {
    const path = join(dir, 'profiles.json');
    writeFileSync(path, '{ not json');

    expect(() => readProfiles(path)).toThrow(`${path} is not valid JSON; fix or delete it`);
    expect(readFileSync(path, 'utf8')).toBe('{ not json');
  });
});
