import type { SeededPlatform } from './platform';
import { basic, demoUser } from './platform';

export interface AdminResponse<T = Record<string, unknown>> {
  status: number;
  contentType: string | null;
  body: T;
}

/** Credentials as a client sends them: a username and password, or an API key as Bearer. */
export type Credentials = { username: string; password: string } | { bearer: string };

export const authorization = (credentials: Credentials): string => ('bearer' in credentials ? `Bearer ${credentials.bearer}` : basic(credentials));

/** An admin API client over real HTTP against the local platform. */
export function adminClient(env: SeededPlatform, credentials: Credentials | string) {
  const creds = typeof credentials === 'string' ? (credentials === 'operator' ? env.demo.operator! : demoUser(env.demo, credentials)) : credentials;
  async function call<T>(method: string, path: string, body?: unknown): Promise<AdminResponse<T>> {
    const response = await fetch(`${env.platform.url}${path}`, {
      method,
      headers: { Authorization: authorization(creds), Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: (text ? JSON.parse(text) : undefined) as T };
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
  const response = await fetch(`${env.platform.url}/${tenant}/collections/`, {
    headers: { Authorization: authorization(credentials), Accept: 'application/taxii+json;version=2.1' },
  });
  if (response.status !== 200) throw new Error(`collections: HTTP ${response.status}`);
  return ((await response.json()) as { collections: Array<{ title: string }> }).collections.map((c) => c.title);
}

/** HTTP status of an authenticated TAXII discovery request with these credentials (200, or 401 when refused). */
export async function discoveryStatus(env: SeededPlatform, header: string): Promise<number> {
  const response = await fetch(`${env.platform.url}/taxii2/`, { headers: { Authorization: header, Accept: 'application/taxii+json;version=2.1' } });
  return response.status;
}
