import { WAITING_FOR_MODERATION } from '../../shared/core/taxii/status';
import { randomUUID } from 'node:crypto';
import { createApiClient, TAXII_MEDIA_TYPE } from '../../cli/http-client';
import type { SeededPlatform } from './platform';
import { basic, demoUser } from './platform';

export const TAXII_CONTENT_TYPE = TAXII_MEDIA_TYPE;

export interface TaxiiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A member's TAXII client over real HTTP against the local platform: the CLI's client (cli/http-client.ts), handing
 * every status back, 429s included, for the tests to assert on.
 */
export function taxiiClient(env: SeededPlatform, username: string) {
  const client = createApiClient({ endpoint: env.platform.url, authorization: basic(demoUser(env.demo, username)), retry: false });
  async function call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<TaxiiResponse<T>> {
    const answer = await client.send<T>(method, path, { taxii: true, body, contentType });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  }
  return {
    username,
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    delete: <T = Record<string, unknown>>(path: string) => call<T>('DELETE', path),
    post: <T = Record<string, unknown>>(path: string, body: unknown, contentType = TAXII_CONTENT_TYPE) =>
      call<T>('POST', path, body, contentType),
  };
}
export type TaxiiClient = ReturnType<typeof taxiiClient>;

export interface StatusBody {
  id: string;
  status: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  successes: Array<{ id: string; message?: string }>;
  failures: Array<{ id: string; message?: string }>;
  pendings: Array<{ id: string; message?: string }>;
}

export interface EnvelopeBody {
  more: boolean;
  next?: string;
  objects: Array<Record<string, unknown> & { id: string; type: string }>;
}

/**
 * Polls a status until the pipeline has settled every object: quickly at first, then backing off to twice a second,
 * as a considerate client does (many concurrent pollers would otherwise load the emulators more than the pipeline).
 */
/** Polls a status until the pipeline has settled every entry it can (complete, or pending only on a moderator). */
export async function settled(client: TaxiiClient, tenant: string, statusId: string, ms = 60000): Promise<StatusBody> {
  const deadline = Date.now() + ms;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const response = await client.get<StatusBody>(`/${tenant}/status/${statusId}/`);
    if (response.status !== 200) throw new Error(`status ${statusId}: HTTP ${response.status}`);
    // Done as far as the pipeline goes: what is still pending waits for a moderator (and says so).
    if (response.body.status === 'complete' || response.body.pendings.every((p) => p.message?.startsWith(WAITING_FOR_MODERATION)))
      return response.body;
    if (Date.now() > deadline) {
      const { total_count, success_count, failure_count, pending_count } = response.body;
      throw new Error(
        `status ${statusId} still pending after ${ms} ms: ${JSON.stringify({ total_count, success_count, failure_count, pending_count })}`,
      );
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

export const TLP = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  amberStrict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
  v1White: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  v1Red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

let addressCounter = 0;
/** A routable address no warning list holds, different for every call, so dedupe never merges test indicators. */
export function attackerAddress(): string {
  const n = addressCounter++;
  return `45.${77 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** A STIX 2.1 indicator with its own C2 address; TLP:GREEN unless markings say otherwise. */
export function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> & { id: string } {
  const created = (overrides.created as string | undefined) ?? '2026-05-01T00:00:00.000Z';
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created,
    modified: created,
    name: 'C2 server',
    pattern: `[ipv4-addr:value = '${attackerAddress()}']`,
    pattern_type: 'stix',
    valid_from: created,
    object_marking_refs: [TLP.green],
    ...overrides,
  };
}

/** Shares objects as `client` and waits until the pipeline committed them. */
export async function share(client: TaxiiClient, collectionPath: string, objects: unknown[]): Promise<StatusBody> {
  const posted = await client.post<StatusBody>(`${collectionPath}objects/`, { objects });
  if (posted.status !== 202) throw new Error(`POST answered ${posted.status}: ${JSON.stringify(posted.body)}`);
  const tenant = collectionPath.split('/')[1]!;
  return settled(client, tenant, posted.body.id);
}
