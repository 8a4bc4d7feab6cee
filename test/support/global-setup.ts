import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal, startFauxqs, startS3rver, type Emulator } from '../../infra/local/emulators';

/**
 * Starts the real emulators once per test run, on free ports, in memory (S3 in a temp dir). Test files find
 * them through KYOYU_TEST_* variables and isolate themselves with their own resource-name prefix.
 */
export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-test-'));
  const emulators: Emulator[] = await Promise.all([
    startDynamoDbLocal({ port: 0, portVariable: 'KYOYU_TEST_DYNAMODB', logFile: join(dir, 'dynamodb.log') }),
    startFauxqs({ port: 0, portVariable: 'KYOYU_TEST_SQS', logFile: join(dir, 'fauxqs.log') }),
    startS3rver({ port: 0, portVariable: 'KYOYU_TEST_S3', dataDir: join(dir, 's3'), logFile: join(dir, 's3rver.log') }),
  ]);
  const [dynamodb, sqs, s3] = emulators;
  process.env.KYOYU_TEST_DYNAMODB = dynamodb!.endpoint;
  process.env.KYOYU_TEST_SQS = sqs!.endpoint;
  process.env.KYOYU_TEST_S3 = s3!.endpoint;
  process.env.KYOYU_TEST_DIR = dir;
  (globalThis as { kyoyuEmulators?: Emulator[] }).kyoyuEmulators = emulators;
}
