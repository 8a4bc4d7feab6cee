import { randomBytes } from 'node:crypto';
import type { EmulatorEndpoints } from '../../infra/local/platform';

/** The endpoints of the emulators global-setup started for this run. */
export function testEndpoints(): EmulatorEndpoints {
  const { KYOYU_TEST_DYNAMODB: dynamodb, KYOYU_TEST_SQS: sqs, KYOYU_TEST_S3: s3 } = process.env;
  if (!dynamodb || !sqs || !s3) throw new Error('Emulators are not running: run tests through jest (global-setup starts them)');
  return { dynamodb, sqs, s3 };
}

/** A resource-name prefix of this test file's own, so test files never see each other's data. */
export const uniquePrefix = (label: string): string => `t-${label}-${randomBytes(4).toString('hex')}`;
