import type { DispatchDeps } from '../core/alerts/dispatch';
import type { LedgerDeps } from '../core/alerts/ledger-views';
import type { SubscriptionDeps } from '../core/alerts/subscriptions';
import { adminDeps } from './admin-deps';
import type { Container } from './composition-root';
import { alertsConfig } from './config';
import { webhookSender } from './webhook-sender';
import { alertMailer } from './alert-mailer';

const allowLoopback = () => alertsConfig().ALERTS_ALLOW_LOOPBACK === 'true';

export const subscriptionDeps = (c: Container): SubscriptionDeps => ({
  ...adminDeps(c),
  subscriptions: c.subscriptions,
  allowLoopback: allowLoopback(),
});

export const ledgerDeps = (c: Container): LedgerDeps => ({
  ledger: c.alertLedger,
  get directory() {
    return c.directory;
  },
  get objects() {
    return c.objects;
  },
  // Read only when an acknowledgement is recorded (admin-deps.ts: building the store needs its table).
  get audit() {
    return c.audit;
  },
  get mac() {
    return c.auditMac;
  },
  now: Date.now,
  ackSecrets: () => c.secretList('alerts'),
});

let sender: DispatchDeps['sendWebhook'] | undefined;
let mailer: DispatchDeps['sendMail'] | undefined;

/** The dispatcher's dependencies: one webhook sender and one mailer per warm container. */
export function dispatchDeps(c: Container): DispatchDeps {
  const config = alertsConfig();
  sender ??= webhookSender({
    allowLoopback: config.ALERTS_ALLOW_LOOPBACK === 'true',
    timeoutMs: config.ALERTS_WEBHOOK_TIMEOUT_SECONDS * 1000,
  });
  mailer ??= alertMailer(config, c.config);
  return {
    directory: c.directory,
    objects: c.objects,
    subscriptions: c.subscriptions,
    ledger: c.alertLedger,
    queue: c.alertQueue,
    sendWebhook: sender,
    sendMail: mailer,
    ackSecrets: () => c.secretList('alerts'),
    baseUrl: (c.config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, ''),
    now: Date.now,
  };
}
