import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { BadRequestError, ConfigurationError } from '../errors';
import { millisOf } from './timestamps';
import type { ListingEndpoint, ObjectFilters, ObjectQuery, VersionMatch } from './query';

/**
 * The opaque `next` token of TAXII 2.1 §3.5 pagination. Lambda keeps no state between requests, so the token is
 * the state (STYLE.md: no server-side `next`):
 *
 * - **self-contained** — it carries the filters of the query that started the paging, so `?next=T` alone returns
 *   what `?next=T&added_after=A&match[type]=…` returns, and the token's filters and position are the ones in force
 *   (TAXII-CLIENTS #12, #13: a stale token sent with a newer added_after resumes without losing objects);
 * - **a position** — the date_added (ms) of the last version scanned. date_added is unique within a collection
 *   (timestamps.ts `nextDateAdded`), so it alone is a total order and needs no tie-break;
 * - **bound** to tenant and collection (and object, for the per-object endpoints), and to the endpoint that minted
 *   it: a token for another, or a manifest token on the objects endpoint, is a 400 (tokens minted before the
 *   endpoint was recorded carry none and are accepted by every endpoint, so saved tokens survive the upgrade);
 * - **bound to its query**: `match[...]` filters sent beside it must be the token's (or absent, TAXII-CLIENTS #12);
 *   different ones are a 400 rather than silently answered for the old query. `added_after` may differ: OpenCTI
 *   re-sends its last token with a newer one (TAXII-CLIENTS #13);
 * - **long-lived** — no expiry: OpenCTI pages slowly and comes back hours later (TAXII-CLIENTS #13);
 * - **URL-safe** — base64url, `[A-Za-z0-9_-]` only (TAXII-CLIENTS #27);
 * - **sealed** — encrypted (AES-256-CTR) and then authenticated (HMAC-SHA256 over everything before the tag):
 *   a forged or garbled token is a 400, and the position, which may be that of a version the reader may not see,
 *   reveals nothing about it.
 *
 * Layout before base64url: format byte (1) ‖ IV (16) ‖ ciphertext of compact JSON ‖ HMAC tag (32).
 */

/** The secret the tokens are sealed with; at least 32 bytes. Pass several to `decodeCursor` while rotating. */
export type CursorKey = string | Uint8Array;

/** What a token is bound to. `objectId` is set for the per-object endpoints (TAXII 2.1 §5.6, §5.8). */
export interface CursorScope {
  tenantId: string;
  collectionId: string;
  objectId?: string;
  /** The endpoint that mints and accepts the token; absent only in tokens minted before it was recorded. */
  endpoint?: ListingEndpoint;
}

export interface CursorPayload {
  scope: CursorScope;
  filters: ObjectFilters;
  /** date_added (ms) of the last version scanned, visible to the reader or not: the next scan starts after it. */
  afterMs: number;
}

/** What a read use case scans: the filters in force, the page size, and where to start. */
export interface Listing {
  filters: ObjectFilters;
  limit: number;
  /** Scan versions with date_added (ms) strictly greater than this; undefined = from the beginning. */
  afterMs: number | undefined;
}

const FORMAT_V1 = 1;
const IV_BYTES = 16;
const TAG_BYTES = 32;
const MIN_KEY_BYTES = 32;
/** Far beyond any token we mint; refuses absurd input before any work. */
const MAX_TOKEN_CHARS = 8192;

const FORGED = 'next: not a token this server issued; start again without next (use added_after to resume)';
const FOREIGN = 'next: this token belongs to another collection';

/** Compact JSON inside the token: short keys, defaults omitted. */
const WireSchema = z.object({
  t: z.string().min(1),
  c: z.string().min(1),
  o: z.string().min(1).optional(),
  e: z.enum(['objects', 'manifest', 'object', 'versions']).optional(),
  a: z.number().int().min(0),
  aa: z.string().optional(),
  id: z.array(z.string()).optional(),
  ty: z.array(z.string()).optional(),
  /** match[version] as tokens (first, last, all, timestamps); absent = last. */
  ve: z.array(z.string()).optional(),
  sv: z.array(z.string()).optional(),
});
type Wire = z.infer<typeof WireSchema>;

function keyBytes(key: CursorKey): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (bytes.length < MIN_KEY_BYTES) {
    throw new ConfigurationError(`The cursor key must be at least ${MIN_KEY_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Separate keys for encryption and authentication, derived from the one secret (HMAC as a KDF). */
function derivedKeys(key: CursorKey): { encryption: Buffer; authentication: Buffer } {
  const secret = keyBytes(key);
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
  return { encryption: derive('kyoyu/taxii-cursor/v1/encryption'), authentication: derive('kyoyu/taxii-cursor/v1/authentication') };
}

function versionTokens(match: VersionMatch): string[] | undefined {
  const tokens = [...(match.all ? ['all'] : []), ...(match.first ? ['first'] : []), ...(match.last ? ['last'] : []), ...match.timestamps];
  return tokens.length === 1 && tokens[0] === 'last' ? undefined : tokens;
}

function versionMatch(tokens: string[] | undefined): VersionMatch {
  const list = tokens ?? ['last'];
  return {
    all: list.includes('all'),
    first: list.includes('first'),
    last: list.includes('last'),
    timestamps: list.filter((t) => t !== 'all' && t !== 'first' && t !== 'last'),
  };
}

const nonEmpty = (list: string[]): string[] | undefined => (list.length > 0 ? list : undefined);

function toWire({ scope, filters, afterMs }: CursorPayload): Wire {
  const wire: Wire = { t: scope.tenantId, c: scope.collectionId, a: afterMs };
  if (scope.objectId !== undefined) wire.o = scope.objectId;
  if (scope.endpoint !== undefined) wire.e = scope.endpoint;
  if (filters.addedAfter !== undefined) wire.aa = filters.addedAfter;
  const [id, ty, ve, sv] = [
    nonEmpty(filters.ids),
    nonEmpty(filters.types),
    versionTokens(filters.versions),
    nonEmpty(filters.specVersions),
  ];
  if (id) wire.id = id;
  if (ty) wire.ty = ty;
  if (ve) wire.ve = ve;
  if (sv) wire.sv = sv;
  return wire;
}

function fromWire(wire: Wire): CursorPayload {
  return {
    scope: {
      tenantId: wire.t,
      collectionId: wire.c,
      ...(wire.o !== undefined ? { objectId: wire.o } : {}),
      ...(wire.e !== undefined ? { endpoint: wire.e } : {}),
    },
    filters: {
      ...(wire.aa !== undefined ? { addedAfter: wire.aa } : {}),
      ids: wire.id ?? [],
      types: wire.ty ?? [],
      versions: versionMatch(wire.ve),
      specVersions: wire.sv ?? [],
    },
    afterMs: wire.a,
  };
}

/** Seals a position and the filters that led to it into a `next` token. */
export function encodeCursor(payload: CursorPayload, key: CursorKey): string {
  if (!Number.isSafeInteger(payload.afterMs) || payload.afterMs < 0) {
    throw new RangeError(`A cursor position must be a date_added in ms, got ${payload.afterMs}`);
  }
  const keys = derivedKeys(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-ctr', keys.encryption, iv);
  const plaintext = Buffer.from(JSON.stringify(toWire(payload)), 'utf8');
  const sealed = Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.update(plaintext), cipher.final()]);
  const tag = createHmac('sha256', keys.authentication).update(sealed).digest();
  return Buffer.concat([sealed, tag]).toString('base64url');
}

function open(bytes: Buffer, key: CursorKey): Wire | undefined {
  const keys = derivedKeys(key);
  const sealed = bytes.subarray(0, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const expectedTag = createHmac('sha256', keys.authentication).update(sealed).digest();
  if (!timingSafeEqual(tag, expectedTag)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', keys.encryption, sealed.subarray(1, 1 + IV_BYTES));
  const plaintext = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES)), decipher.final()]);
  try {
    const parsed = WireSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens a `next` token. Throws BadRequestError when it is not one this server sealed with any of `keys`
 * (forged, truncated, re-encoded), or when it belongs to another tenant, collection or object.
 */
export function decodeCursor(token: string, keys: CursorKey | readonly CursorKey[], expected: CursorScope): CursorPayload {
  const candidates = Array.isArray(keys) ? (keys as readonly CursorKey[]) : [keys as CursorKey];
  if (candidates.length === 0) throw new ConfigurationError('No cursor key configured');
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) throw new BadRequestError(FORGED);
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) throw new BadRequestError(FORGED);

  let wire: Wire | undefined;
  for (const key of candidates) {
    wire = open(bytes, key);
    if (wire) break;
  }
  if (!wire) throw new BadRequestError(FORGED);

  const payload = fromWire(wire);
  const { scope } = payload;
  if (scope.tenantId !== expected.tenantId || scope.collectionId !== expected.collectionId || scope.objectId !== expected.objectId) {
    throw new BadRequestError(FOREIGN);
  }
  if (scope.endpoint !== undefined && expected.endpoint !== undefined && scope.endpoint !== expected.endpoint) {
    throw new BadRequestError(`next: this token pages the ${scope.endpoint} endpoint; use it there, or start again here without next`);
  }
  return payload;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => [...a].sort().join('\n') === [...b].sort().join('\n');
const isDefaultVersionMatch = (v: VersionMatch): boolean => v.last && !v.all && !v.first && v.timestamps.length === 0;

/** The match[...] filters a request names that differ from its token's; unnamed ones (empty, default) never do. */
function changedFilters(sent: ObjectFilters, token: ObjectFilters): string[] {
  const changed: string[] = [];
  if (sent.ids.length > 0 && !sameSet(sent.ids, token.ids)) changed.push('match[id]');
  if (sent.types.length > 0 && !sameSet(sent.types, token.types)) changed.push('match[type]');
  if (
    !isDefaultVersionMatch(sent.versions) &&
    !sameSet(versionTokens(sent.versions) ?? ['last'], versionTokens(token.versions) ?? ['last'])
  )
    changed.push('match[version]');
  if (sent.specVersions.length > 0 && !sameSet(sent.specVersions, token.specVersions)) changed.push('match[spec_version]');
  return changed;
}

/**
 * Where a read starts and with which filters. With a `next` token, its filters and position win over anything
 * sent beside it (TAXII-CLIENTS #12, #13), and match[...] filters that differ from its own are a 400; only `limit`
 * is taken from the request. Without one, the scan starts
 * after `added_after`, truncated to the millisecond, which is exact because date_added is a whole millisecond
 * (timestamps.ts `millisOf`). An added_after before 1970 selects everything: nothing was added before then.
 */
export function resolveListing(query: ObjectQuery, keys: CursorKey | readonly CursorKey[], scope: CursorScope): Listing {
  if (query.next !== undefined) {
    const { filters, afterMs } = decodeCursor(query.next, keys, scope);
    const changed = changedFilters(query.filters, filters);
    if (changed.length > 0) {
      throw new BadRequestError(
        `next: this token continues a query with other ${changed.join(', ')}; send the first page's filters with it, or none, or start again without next`,
      );
    }
    return { filters, limit: query.limit, afterMs };
  }
  const { addedAfter } = query.filters;
  const afterMs = addedAfter === undefined ? undefined : millisOf(addedAfter);
  return { filters: query.filters, limit: query.limit, afterMs: afterMs !== undefined && afterMs >= 0 ? afterMs : undefined };
}
