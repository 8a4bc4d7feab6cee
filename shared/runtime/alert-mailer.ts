import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { createTransport, type Transporter } from 'nodemailer';
import type { AlertMailer } from '../core/alerts/dispatch';
import { alertMail, type AlertMailInput } from '../core/alerts/mail';
import { mailTags } from '../core/alerts/mail-events';
import type { AlertsConfig, BaseConfig } from './config';

/**
 * Sends alert e-mail: through the local SMTP server under `npm start` and the tests (ALERTS_SMTP_URL), through
 * Amazon SES (SESv2, with the configuration set whose event destination records bounces and complaints) on AWS.
 * Not an `if (local)`: the deployment sets one or the other, as it sets endpoints.
 */
export function alertMailer(config: AlertsConfig, base: BaseConfig): AlertMailer | undefined {
  let transport: Transporter;
  if (config.ALERTS_SMTP_URL) transport = createTransport(config.ALERTS_SMTP_URL);
  else if (config.ALERTS_SES_CONFIGURATION_SET)
    transport = createTransport({ SES: { sesClient: new SESv2Client({ region: base.AWS_REGION }), SendEmailCommand } });
  else return undefined;
  return async (to, payload, ids) => {
    const { subject, text } = alertMail(
      payload.data as AlertMailInput,
      to.language,
      to.plainTextAboveClear,
      payload.type === 'kyoyu.alert.escalation',
    );
    try {
      await transport.sendMail({
        from: config.ALERTS_MAIL_FROM,
        to: to.address,
        subject,
        text,
        // The tags name the subscription: SES's bounce and complaint events carry them back (core/alerts/mail-events.ts).
        ...(config.ALERTS_SES_CONFIGURATION_SET
          ? { ses: { ConfigurationSetName: config.ALERTS_SES_CONFIGURATION_SET, EmailTags: mailTags(ids) } }
          : {}),
      });
      // Accepted by the mail server (SMTP 250, or SES): delivered as far as the platform can know; bounces come later.
      return { status: 200 };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // A permanent refusal (5xx SMTP, e.g. no such mailbox) fails at once; anything else is retried on the schedule.
      return {
        error: `the mail server refused: ${(error as Error).message}`,
        ...(code !== undefined && code >= 500 ? { refused: true } : {}),
      };
    }
  };
}
