import { join } from 'node:path';
import { DynamoDirectoryStore } from '../../shared/adapters/dynamodb/directory-store';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store';
import { createDocumentClient } from '../../shared/runtime/aws-clients';
import { baseConfig } from '../../shared/runtime/config';
import { auditMacOf } from '../../shared/runtime/composition-root';
import type { AuditMac } from '../../shared/core/ports';
import type { LambdaHandler } from '../../infra/local/lambda-context';
import { startPlatform, type Platform } from '../../infra/local/platform';
import { repoRoot } from '../../infra/local/repo-root';
import { seedDemo, type DemoDescription } from '../../infra/local/seed';
import { testEndpoints, uniquePrefix } from './emulators';

/** Handlers loaded from source, through jest's TypeScript transform. */
export function loadSourceHandler(entry: string): LambdaHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(repoRoot(), entry)) as { handler: LambdaHandler }).handler;
}

export interface SeededPlatform {
  platform: Platform;
  demo: DemoDescription;
  directory: DynamoDirectoryStore;
  audit: DynamoAuditStore;
  /** The platform's audit MAC: what an appender holds (tests that forge entries must do without it). */
  mac: AuditMac;
}

/** The local platform on the shared emulators, with its own resources, seeded with the demo tenants. */
export async function startSeededPlatform(
  label: string,
  options: {
    authorizerCacheSeconds?: number;
    visibilityTimeoutSeconds?: number;
    wrapHandler?: (entry: string, handler: LambdaHandler) => LambdaHandler;
    alerts?: { allowLoopbackWebhooks?: boolean; webhookTimeoutSeconds?: number; smtpUrl?: string };
  } = {},
): Promise<SeededPlatform> {
  const wrap = options.wrapHandler ?? ((_entry: string, handler: LambdaHandler) => handler);
  const platform = await startPlatform({
    endpoints: testEndpoints(),
    prefix: uniquePrefix(label),
    httpPort: 0,
    loadHandler: (entry) => wrap(entry, loadSourceHandler(entry)),
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    authorizerCacheSeconds: options.authorizerCacheSeconds ?? 0,
    logLevel: 'silent',
    // Anchors are taken when a test asks (platform.runScheduled), never by a timer in the middle of one.
    scheduleTimers: false,
    // Webhook receivers in the tests listen on loopback.
    alerts: options.alerts ?? { allowLoopbackWebhooks: true, webhookTimeoutSeconds: 2 },
  });
  const documentClient = createDocumentClient(baseConfig());
  const directory = new DynamoDirectoryStore(documentClient, platform.env.TABLE_DIRECTORY!);
  const audit = new DynamoAuditStore(documentClient, platform.env.TABLE_AUDIT!);
  const mac = auditMacOf(baseConfig(platform.env));
  const demo = await seedDemo({ directory, audit, mac }, platform.url, undefined);
  return { platform, demo, directory, audit, mac };
}

export function demoUser(demo: DemoDescription, username: string): { username: string; password: string } {
  for (const tenant of demo.tenants)
    for (const member of tenant.members) for (const user of member.users) if (user.username === username) return user;
  throw new Error(`No demo user ${username}`);
}

export const TAXII_ACCEPT = 'application/taxii+json;version=2.1';

export function basic(user: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}
