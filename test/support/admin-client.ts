import { createApiClient } from '../../cli/http-client';
import type { SeededPlatform } from './platform';
import { basic, demoUser } from './platform';

export interface AdminResponse<T = Record<string, unknown>> {
  status: number;
  contentType: string | null;
  body: T;
}

/** Credentials as a client sends them: a username and password, or an API key as Bearer. */
export type Credentials = { username: string; password: string } | { bearer: string };

export const authorization = (credentials: Credentials): string =>
  'bearer' in credentials ? `Bearer ${credentials.bearer}` : basic(credentials);

/**
 * An admin API client over real HTTP against the local platform: the CLI's client (cli/http-client.ts), so the tests
 * and the CLI speak to the API the same way. It hands every status back, 429s included, for the tests to assert on.
 */
export function adminClient(env: SeededPlatform, credentials: Credentials | string) {
  const creds =
    typeof credentials === 'string' ? (credentials === 'operator' ? env.demo.operator! : demoUser(env.demo, credentials)) : credentials;
  const client = createApiClient({ endpoint: env.platform.url, authorization: authorization(creds), retry: false });
  async function call<T>(method: string, path: string, body?: unknown): Promise<AdminResponse<T>> {
    // Encoded here so that a string body is sent as a JSON string, as the API's callers would.
    const answer = await client.send<T>(method, path, { body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: answer.status, contentType: answer.contentType, body: answer.body };
  }
  return {
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
    put: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('PUT', path, body),
    patch: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('PATCH', path, body),
    delete: <T = Record<string, unknown>>(path: string, body?: unknown) => call<T>('DELETE', path, body),
    call,
  };
}
export type AdminClient = ReturnType<typeof adminClient>;

/** What a TAXII collections listing shows these credentials: titles of visible collections. */
export async function visibleCollections(env: SeededPlatform, tenant: string, credentials: Credentials): Promise<string[]> {
  const client = createApiClient({ endpoint: env.platform.url, authorization: authorization(credentials), retry: false });
  const answer = await client.send<{ collections: Array<{ title: string }> }>('GET', `/${tenant}/collections/`, { taxii: true });
  if (answer.status !== 200) throw new Error(`collections: HTTP ${answer.status}`);
  return answer.body.collections.map((c) => c.title);
}

/** HTTP status of an authenticated TAXII discovery request with these credentials (200, or 401 when refused). */
export async function discoveryStatus(env: SeededPlatform, header: string): Promise<number> {
  const client = createApiClient({ endpoint: env.platform.url, authorization: header, retry: false });
  return (await client.send('GET', '/taxii2/', { taxii: true })).status;
}
