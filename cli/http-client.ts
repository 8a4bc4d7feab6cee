/**
 * The one client of the Kyoyu API (admin API and TAXII 2.1), used by the CLI and by the tests' clients: the
 * Authorization header, the media types, waiting out 429s, and error bodies turned into errors a person can read.
 */
import { CliError, ApiError } from './errors';
import { withRetryAfter, type RetryOptions } from './retry-after';

/** TAXII 2.1 §1.6.8: the media type of every TAXII request and answer. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const JSON_MEDIA_TYPE = 'application/json';

export interface ClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8421; a trailing slash is dropped. */
  endpoint: string;
  /** The whole header value: `Basic …` or `Bearer …`. */
  authorization: string;
  /** How 429s are waited out; `false` hands them to the caller (tests that assert on throttling). */
  retry?: false | RetryPolicy;
}

export interface RetryPolicy extends Omit<RetryOptions, 'onWait'> {
  /** Told before each wait, so a person sees why the command pauses. */
  onWait?: (method: string, path: string, seconds: number, retry: number) => void;
}

export interface RequestOptions {
  /** JSON-encoded unless a string or bytes. */
  body?: unknown;
  /** TAXII media type for Accept and Content-Type instead of JSON. */
  taxii?: boolean;
  contentType?: string;
  /** Added to (and overriding) the client's headers. */
  headers?: Record<string, string>;
  redirect?: RequestInit['redirect'];
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  contentType: string | null;
  /** Parsed JSON; the text when it is not JSON; undefined when empty. */
  body: T;
}

export interface ApiClient {
  readonly endpoint: string;
  readonly authorization: string;
  /** Any status is an answer; only an unreachable endpoint throws. */
  send<T = Record<string, unknown>>(method: string, path: string, options?: RequestOptions): Promise<ApiAnswer<T>>;
  /**
   * The answer with its body unread, for downloads in other media types (exports): the client's Authorization,
   * Accept of any type unless `headers` say otherwise, 429s waited out. Only an unreachable endpoint throws.
   */
  download(path: string, options?: { headers?: Record<string, string>; redirect?: RequestInit['redirect'] }): Promise<Response>;
  /** The body of a 2xx answer (or a status in `expected`); any other status throws ApiError. */
  call<T = Record<string, unknown>>(method: string, path: string, options?: RequestOptions & { expected?: number[] }): Promise<T>;
}

function parsed(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function encoded(body: unknown): string | Uint8Array | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return JSON.stringify(body);
}

/** What the API's error body says: TAXII and admin errors both carry `description` (TAXII 2.1 §3.6.1). */
export function errorDescription(body: unknown): string {
  if (typeof body === 'string') return body;
  return (body as { description?: string } | undefined)?.description ?? '';
}

export function createApiClient(options: ClientOptions): ApiClient {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const { authorization, retry = {} } = options;

  async function respond(method: string, path: string, once: () => Promise<Response>): Promise<Response> {
    try {
      if (retry === false) return await once();
      const { onWait } = retry;
      return await withRetryAfter(once, { ...retry, onWait: onWait && ((seconds, n) => onWait(method, path, seconds, n)) });
    } catch (error) {
      // fetch's own TypeError says only "fetch failed"; its cause names the reason (ECONNREFUSED, ENOTFOUND…).
      // Duck-typed: an error from another realm (a test's VM context) is not `instanceof Error`.
      const { message, cause } = (error ?? {}) as { message?: string; cause?: { message?: string } };
      const reason = cause?.message ?? message ?? String(error);
      throw new CliError(`Cannot reach ${endpoint}: ${reason}`);
    }
  }

  function download(
    path: string,
    request: { headers?: Record<string, string>; redirect?: RequestInit['redirect'] } = {},
  ): Promise<Response> {
    const headers = { Authorization: authorization, Accept: '*/*', ...request.headers };
    return respond('GET', path, () => fetch(`${endpoint}${path}`, { headers, redirect: request.redirect }));
  }

  async function send<T>(method: string, path: string, request: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const mediaType = request.taxii ? TAXII_MEDIA_TYPE : JSON_MEDIA_TYPE;
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: mediaType,
      ...(request.body === undefined ? {} : { 'Content-Type': request.contentType ?? mediaType }),
      ...request.headers,
    };
    const response = await respond(method, path, () =>
      fetch(`${endpoint}${path}`, { method, headers, body: encoded(request.body), redirect: request.redirect }),
    );
    const body = parsed(await response.text()) as T;
    return { status: response.status, headers: response.headers, contentType: response.headers.get('content-type'), body };
  }

  async function call<T>(method: string, path: string, request: RequestOptions & { expected?: number[] } = {}): Promise<T> {
    const answer = await send<T>(method, path, request);
    const ok = answer.status >= 200 && answer.status < 300;
    if (!ok && !request.expected?.includes(answer.status)) throw new ApiError(method, path, answer.status, errorDescription(answer.body));
    return answer.body;
  }

  return { endpoint, authorization, send, download, call };
}
