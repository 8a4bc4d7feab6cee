import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DynamoDirectoryStore } from '../../shared/adapters/dynamodb/directory-store';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { auditMacOf } from '../../shared/runtime/composition-root';
import { ensureDir, logFileIn, startDynamoDbLocal, startFauxqs, startS3rver, type Emulator } from './emulators';
import type { LambdaHandler } from './lambda-context';
import { startPlatform, type Platform } from './platform';
import { startLocalSmtp, type LocalSmtp } from './smtp';
import type { SecretValues } from './secrets-manager';
import { claimPort, PortBusyError } from './ports';
import { repoRoot } from './repo-root';
import { seedDemo, type DemoDescription } from './seed';

/** `npm start`: the whole platform on this machine, seeded with the demo tenants. */

const port = z.coerce.number().int().min(0).max(65535);
const LocalEnvSchema = z.object({
  KYOYU_HTTP_PORT: port.default(8421),
  KYOYU_DYNAMODB_PORT: port.default(8422),
  KYOYU_SQS_PORT: port.default(8423),
  KYOYU_S3_PORT: port.default(8424),
  KYOYU_SMTP_PORT: port.default(8425),
  KYOYU_LOCAL_DIR: z.string().optional(),
});

const BUILD_DIR = __dirname.endsWith(join('infra', 'local')) ? join(__dirname, '..', '..') : __dirname;

/** Handlers are bundled one file per Lambda by infra/local/build.mjs, as NodejsFunction bundles them. */
function loadBuiltHandler(entry: string): LambdaHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(BUILD_DIR, entry.replace(/\.ts$/, '.js'))) as { handler: LambdaHandler }).handler;
}

/** The secrets files of earlier versions, one per secret: their values carry over into secrets.json once. */
function earlierSecrets(localDir: string): SecretValues {
  const read = (name: string) => (existsSync(join(localDir, name)) ? readFileSync(join(localDir, name), 'utf8').trim() : undefined);
  const [cursor, sealing] = [read('cursor-secret'), read('sealing-secret')];
  return { ...(cursor ? { cursor } : {}), ...(sealing ? { sealing } : {}) };
}

/**
 * The local audit MAC secret, kept in .local (mode 600) so the chains written before a restart still verify. Not in
 * secrets.json: on AWS it is no secret but a KMS key (infra/topology.ts auditMacKey).
 */
function auditMacSecretIn(localDir: string): string {
  const file = join(localDir, 'audit-mac-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function readPreviousDemo(file: string): DemoDescription | undefined {
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoDescription) : undefined;
  } catch {
    return undefined;
  }
}

function printDemo(demo: DemoDescription, demoFile: string, seconds: number, inbox: string): void {
  const lines = [`\nKyoyu is running (ready in ${seconds.toFixed(1)} s).`, `  TAXII discovery: ${demo.discovery}`];
  for (const tenant of demo.tenants) {
    lines.push(`\n  Tenant ${tenant.id}: API root ${tenant.api_root}`);
    for (const c of tenant.collections) lines.push(`    collection ${c.id}  ${c.title}`);
    for (const m of tenant.members)
      for (const u of m.users) lines.push(`    ${u.username.padEnd(14)} ${u.password}  ${u.role.padEnd(12)} ${m.name}`);
  }
  const sample = demo.tenants[0]?.members[2]?.users[0];
  if (sample) {
    lines.push(
      `\n  Try: curl -u '${sample.username}:${sample.password}' -H 'Accept: application/taxii+json;version=2.1' ${demo.discovery}`,
    );
  }
  if (demo.operator) lines.push(`\n  Platform operator (admin API, kyoyu CLI): ${demo.operator.username} ${demo.operator.password}`);
  lines.push(`  Alert e-mail (local SMTP server): one .eml file per message in ${inbox}`);
  lines.push(`  Credentials are also in ${demoFile}. Ctrl-C stops everything.\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  // Node 20 works today; the SDK's advance notice about Node 22 would only confuse a newcomer here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const startedAt = Date.now();
  const parsed = LocalEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const env = parsed.data;
  const localDir = ensureDir(env.KYOYU_LOCAL_DIR ?? join(repoRoot(), '.local'));
  const emulators: Emulator[] = [];
  let smtp: LocalSmtp | undefined;
  let platform: Platform | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await platform?.stop().catch(() => undefined);
    await smtp?.stop().catch(() => undefined);
    await Promise.all(emulators.map((e) => e.stop().catch(() => undefined)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    // Every port is checked before anything starts, so a busy one costs nothing to clean up.
    await claimPort(env.KYOYU_HTTP_PORT, 'KYOYU_HTTP_PORT');
    const started = await Promise.allSettled([
      startDynamoDbLocal({
        port: env.KYOYU_DYNAMODB_PORT,
        portVariable: 'KYOYU_DYNAMODB_PORT',
        dataDir: join(localDir, 'dynamodb'),
        logFile: logFileIn(localDir, 'dynamodb'),
      }),
      startFauxqs({ port: env.KYOYU_SQS_PORT, portVariable: 'KYOYU_SQS_PORT', logFile: logFileIn(localDir, 'fauxqs') }),
      startS3rver({
        port: env.KYOYU_S3_PORT,
        portVariable: 'KYOYU_S3_PORT',
        dataDir: join(localDir, 's3'),
        logFile: logFileIn(localDir, 's3rver'),
      }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') emulators.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamodb, sqs, s3] = emulators as [Emulator, Emulator, Emulator];
    const endpoints = { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, s3: s3.endpoint };
    // Alert e-mail: a real SMTP server on this machine, its inbox a folder of .eml files (AWS sends through SES).
    smtp = await startLocalSmtp({ port: env.KYOYU_SMTP_PORT, inbox: join(localDir, 'inbox') });
    platform = await startPlatform({
      endpoints,
      prefix: 'kyoyu-local',
      httpPort: env.KYOYU_HTTP_PORT,
      loadHandler: loadBuiltHandler,
      // Kept in .local (mode 600), so that tokens and sealed records survive a restart; edit it to rotate.
      secretsFile: join(localDir, 'secrets.json'),
      secrets: earlierSecrets(localDir),
      auditMacSecret: auditMacSecretIn(localDir),
      // Demos run webhook receivers on this machine (docs/examples/alert-receiver.js); never so on AWS.
      alerts: { allowLoopbackWebhooks: true, smtpUrl: smtp.url },
      onError: (message, error) => process.stderr.write(`${message}: ${error instanceof Error ? error.stack : String(error)}\n`),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new PortBusyError(`Port ${env.KYOYU_HTTP_PORT} is already in use; stop what uses it or set KYOYU_HTTP_PORT to another port`);
      }
      throw error;
    });
    const demoFile = join(localDir, 'demo.json');
    const documentClient = createDocumentClient(baseConfig());
    const stores = {
      directory: new DynamoDirectoryStore(documentClient, platform.env.TABLE_DIRECTORY!),
      audit: new DynamoAuditStore(documentClient, platform.env.TABLE_AUDIT!),
      mac: auditMacOf(baseConfig(platform.env)),
    };
    const demo = await seedDemo(stores, platform.url, readPreviousDemo(demoFile));
    writeFileSync(`${demoFile}.tmp`, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${demoFile}.tmp`, demoFile);
    printDemo(demo, demoFile, (Date.now() - startedAt) / 1000, smtp.inbox);
  } catch (error) {
    process.stderr.write(`kyoyu: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll(1);
  }
}

void main();
