import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPort } from '../../infra/local/ports';
import { repoRoot } from '../../infra/local/repo-root';
import type { DemoDescription } from '../../infra/local/seed';
import { basic, TAXII_ACCEPT } from '../support/platform';

/** The newcomer's `npm start`, run as a real process: emulators, seed, discovery, Ctrl-C, restart. */
const ROOT = repoRoot();
let localDir: string;
let ports: Record<string, string>;

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'infra/local/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  localDir = mkdtempSync(join(tmpdir(), 'kyoyu-start-'));
  ports = {
    KYOYU_HTTP_PORT: String(await claimPort(0, 'x')),
    KYOYU_DYNAMODB_PORT: String(await claimPort(0, 'x')),
    KYOYU_SQS_PORT: String(await claimPort(0, 'x')),
    KYOYU_S3_PORT: String(await claimPort(0, 'x')),
    KYOYU_SMTP_PORT: String(await claimPort(0, 'x')),
  };
}, 60000);
afterAll(() => rmSync(localDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(extraEnv: Record<string, string> = {}): Started {
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, '.local/build/infra/local/main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...ports, KYOYU_LOCAL_DIR: localDir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(started: Started, text: string, ms = 60000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!started.output().includes(text)) {
    if (Date.now() > deadline || started.child.exitCode !== null) throw new Error(`no "${text}" in output:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readDemo = (): DemoDescription => JSON.parse(readFileSync(join(localDir, 'demo.json'), 'utf8')) as DemoDescription;

function processesMentioning(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

async function discoveryAs(demo: DemoDescription, username: string): Promise<Response> {
  const user = demo.tenants.flatMap((t) => t.members.flatMap((m) => m.users)).find((u) => u.username === username)!;
  return fetch(demo.discovery, { headers: { Authorization: basic(user), Accept: TAXII_ACCEPT } });
}

describe('npm start', () => {
  it('starts everything, serves discovery, stops every child on SIGINT, and keeps data across a restart', async () => {
    const first = start();
    await waitForOutput(first, 'Kyoyu is running');
    const demo = readDemo();

    expect(demo.discovery).toBe(`http://127.0.0.1:${ports.KYOYU_HTTP_PORT}/taxii2/`);
    expect(demo.tenants.map((t) => t.id)).toEqual(['ics-isac', 'fin-isac']);
    for (const tenant of demo.tenants) {
      expect(tenant.members.flatMap((m) => m.users.map((u) => u.role)).sort()).toEqual(['analyst', 'analyst', 'reader', 'tenant-admin']);
      expect(tenant.collections.length).toBeGreaterThan(0);
    }
    expect(first.output()).toContain(demo.tenants[0]!.members[0]!.users[0]!.password);
    const response = await discoveryAs(demo, 'fin-consumer');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { api_roots: string[] }).api_roots).toEqual([`http://127.0.0.1:${ports.KYOYU_HTTP_PORT}/fin-isac/`]);
    expect(processesMentioning(localDir).some((line) => line.includes('DynamoDBLocal'))).toBe(true);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(processesMentioning(localDir)).toEqual([]);
    expect(processesMentioning(`-port ${ports.KYOYU_DYNAMODB_PORT}`)).toEqual([]);

    const second = start();
    await waitForOutput(second, 'Kyoyu is running');
    const again = readDemo();
    // Same tenants, same passwords: the seed found what the first run stored on disk.
    expect(again).toEqual(demo);
    expect((await discoveryAs(again, 'ics-reader')).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(processesMentioning(localDir)).toEqual([]);
  }, 120000);

  it('names the busy port and the variable that changes it, in one line', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(Number(ports.KYOYU_SQS_PORT), '127.0.0.1', () => r()));
    try {
      const started = start();
      const code = await started.exited;

      expect(code).toBe(1);
      const errorLines = started
        .output()
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('kyoyu:'));
      expect(errorLines).toEqual([
        `kyoyu: Port ${ports.KYOYU_SQS_PORT} is already in use; stop what uses it or set KYOYU_SQS_PORT to another port`,
      ]);
      expect(processesMentioning(localDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 60000);
});
