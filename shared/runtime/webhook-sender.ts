import { lookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddress } from '../core/alerts/address-guard';
import { retryAfterSeconds, type AttemptResult } from '../core/alerts/delivery';
import type { WebhookSender } from '../core/alerts/dispatch';

export interface WebhookSenderOptions {
  /** `npm start` and tests only (config ALERTS_ALLOW_LOOPBACK): receivers on this machine, over plain http. */
  allowLoopback: boolean;
  timeoutMs: number;
}

/**
 * POSTs one signed webhook. The SSRF guard (core/alerts/address-guard.ts) runs here, on what the name resolves to
 * NOW: every address is checked, and the connection goes to a checked address through a pinned `lookup`, so a
 * second resolution (DNS rebinding) cannot swap in another. Redirects are not followed (a 3xx is a failed attempt,
 * as Standard Webhooks expects); the response body is read and dropped.
 */
export function webhookSender(options: WebhookSenderOptions): WebhookSender {
  return async (url, headers, body) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { error: 'the subscription URL is not a URL', refused: true };
    }
    if (target.protocol !== 'https:' && !(options.allowLoopback && target.protocol === 'http:'))
      return { error: 'only https:// receivers are called', refused: true };
    const host = target.hostname.replace(/^\[|\]$/g, '');
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      return { error: `${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    for (const { address } of addresses) {
      const refused = refusedAddress(address, { allowLoopback: options.allowLoopback });
      if (refused) return { error: `refused: ${host} resolves to ${refused}`, refused: true };
    }
    const pinned = addresses[0]!;
    const pin: LookupFunction = (_hostname, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof addresses) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const requestOptions: RequestOptions = {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Kyoyu-Alerts/1',
      },
      lookup: pin,
      timeout: options.timeoutMs,
    };
    return new Promise<AttemptResult>((resolve) => {
      const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, requestOptions, (res) => {
        res.resume();
        res.on('end', () => {
          const retryAfter = retryAfterSeconds(
            typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined,
            Date.now(),
          );
          resolve({ status: res.statusCode ?? 0, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) });
        });
        res.on('error', (error) => resolve({ error: `the response broke off: ${error.message}` }));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      req.on('error', (error) => resolve({ error: error.message }));
      req.end(body);
    });
  };
}
