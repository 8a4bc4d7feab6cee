import type { AlertMailer } from '../core/alerts/dispatch';
import type { AlertsConfig, BaseConfig } from './config';

/** Placeholder until e-mail lands: no mailer, so e-mail deliveries fail with that reason in the ledger. */
export function alertMailer(_config: AlertsConfig, _base: BaseConfig): AlertMailer | undefined {
  return undefined;
}
