import type { SNSEvent } from 'aws-lambda';
import { handleMailEvent } from '../../shared/core/alerts/mail-events';
import { container } from '../../shared/runtime/composition-root';
import { observed } from '../../shared/runtime/observability';

/**
 * SES's bounce and complaint events of alert mail, from the configuration set's SNS topic (infra/topology.ts
 * `alertMailEvents`): a permanent bounce or a complaint disables the subscription (core/alerts/mail-events.ts).
 * A record that is not JSON is logged and dropped; a store failure throws, and Lambda retries the SNS delivery.
 */
export const handler = observed(async (event: SNSEvent): Promise<void> => {
  const c = container();
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.Sns.Message);
    } catch {
      c.logger.error('malformed SES event dropped', { messageId: record.Sns.MessageId });
      continue;
    }
    const outcome = await handleMailEvent(body, { subscriptions: c.subscriptions, now: () => Date.now() });
    c.logger.info('alert mail event', { messageId: record.Sns.MessageId, outcome });
  }
});
