import { z } from 'zod';
import { BadRequestError } from '../errors';
import { isStixIdentifier, isStixTypeName } from '../stix/identifier';
import { parseTaxiiTimestamp, TIMESTAMP_EXAMPLE } from './timestamps';

/**
 * The URL query of the TAXII read endpoints (TAXII 2.1 §3.4 filtering, §3.5 pagination; §5.3 manifest, §5.4 objects,
 * §5.6 object, §5.8 versions), parsed once at the edge into an `ObjectQuery`.
 */

/** Served when the client sends no `limit` (TAXII-CLIENTS #19: most clients ask for 100 anyway). */
export const DEFAULT_PAGE_SIZE = 100;
/**
 * The largest page served. A bigger `limit` is not an error (TAXII 2.1 §3.5.1 lets the server return fewer): the
 * page is cut here and `more`/`next` carry on (TAXII-CLIENTS #19). 1 000 objects fit the 29 s gateway limit and,
 * with a byte budget in the page builder, Lambda's 6 MB response (TAXII-CLIENTS #25).
 */
export const MAX_PAGE_SIZE = 1000;

/** The read endpoints whose query this module parses. */
export type ListingEndpoint = 'objects' | 'manifest' | 'object' | 'versions';

/**
 * match[version] (TAXII 2.1 §3.4.2): any combination of `first`, `last`, `all` and exact version timestamps;
 * a version is selected when any of them selects it. The default is `last`.
 */
export const VersionMatchSchema = z.object({
  all: z.boolean(),
  first: z.boolean(),
  last: z.boolean(),
  /** Canonical six-digit timestamps (see timestamps.ts). */
  timestamps: z.array(z.string()),
});
export type VersionMatch = z.infer<typeof VersionMatchSchema>;

const lastVersionOnly = (): VersionMatch => ({ all: false, first: false, last: true, timestamps: [] });
const everyVersion = (): VersionMatch => ({ all: true, first: false, last: false, timestamps: [] });

/** Everything that selects versions; a `next` token carries exactly this (TAXII-CLIENTS #12). */
export const ObjectFiltersSchema = z.object({
  /** Canonical six-digit timestamp; only versions with date_added strictly after it (TAXII 2.1 §3.4.1). */
  addedAfter: z.string().optional(),
  /** match[id]; empty = any id. */
  ids: z.array(z.string()),
  /** match[type]; empty = any type. */
  types: z.array(z.string()),
  versions: VersionMatchSchema,
  /** match[spec_version]; empty = the latest spec version of each object (TAXII 2.1 §3.4.2). */
  specVersions: z.array(z.string()),
});
export type ObjectFilters = z.infer<typeof ObjectFiltersSchema>;

export interface ObjectQuery {
  filters: ObjectFilters;
  /** Page size to serve: the client's `limit` capped at MAX_PAGE_SIZE, else DEFAULT_PAGE_SIZE. */
  limit: number;
  /** The raw `next` token, if any; `resolveListing` (cursor.ts) decodes it and lets its filters win. */
  next: string | undefined;
}

/** A query string as API Gateway hands it over (multiValueQueryStringParameters), already percent-decoded. */
export type QueryParameters = Readonly<Record<string, readonly string[] | undefined>>;

type MatchField = 'id' | 'type' | 'version' | 'spec_version';

/** TAXII 2.1 §3.4.1, the table of which filter each endpoint supports. */
const MATCH_FIELDS: Record<ListingEndpoint, readonly MatchField[]> = {
  objects: ['id', 'type', 'version', 'spec_version'],
  manifest: ['id', 'type', 'version', 'spec_version'],
  object: ['version', 'spec_version'],
  versions: ['spec_version'],
};

const SPEC_VERSION = /^\d+\.\d+$/;

const quoted = (value: unknown): string => JSON.stringify(String(value));

const LimitSchema = z
  .string()
  .regex(/^\d+$/, { error: (issue) => `must be a positive integer, got ${quoted(issue.input)}` })
  .transform((text) => Number(text))
  .refine((n) => n >= 1, { error: 'must be a positive integer, got 0' })
  // Numbers beyond 2^53 lose digits, but they are capped anyway.
  .transform((n) => Math.min(n, MAX_PAGE_SIZE));

/** Colons may reach us still percent-encoded when a client encodes twice (TAXII-CLIENTS #14). */
const decodeColons = (text: string): string => text.replace(/%3a/gi, ':');

const TimestampSchema = z.string().transform((text, ctx) => {
  const canonical = parseTaxiiTimestamp(decodeColons(text));
  if (canonical === undefined) {
    ctx.addIssue({ code: 'custom', message: `${quoted(text)} is not a TAXII timestamp (e.g. ${TIMESTAMP_EXAMPLE})` });
    return z.NEVER;
  }
  return canonical;
});

const TypeListSchema = z.array(
  // STIX 2.1 §3.1 type names and §2.9 identifiers: the one rule of stix/identifier.ts, as stored objects obey it.
  z.string().refine(isStixTypeName, {
    error: (issue) => `${quoted(issue.input)} is not a STIX type (lower-case letters, digits and hyphens, e.g. indicator)`,
  }),
);

const IdListSchema = z.array(
  z.string().refine((id) => isStixIdentifier(id), {
    error: (issue) => `${quoted(issue.input)} is not a STIX id (e.g. indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f)`,
  }),
);

const SpecVersionListSchema = z.array(
  z.string().regex(SPEC_VERSION, { error: (issue) => `${quoted(issue.input)} is not a STIX spec version (e.g. 2.1)` }),
);

const VersionListSchema = z.array(z.string()).transform((tokens, ctx): VersionMatch => {
  const match: VersionMatch = { all: false, first: false, last: false, timestamps: [] };
  for (const token of tokens) {
    const keyword = token.toLowerCase();
    if (keyword === 'all' || keyword === 'first' || keyword === 'last') {
      match[keyword] = true;
      continue;
    }
    const canonical = parseTaxiiTimestamp(decodeColons(token));
    if (canonical === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${quoted(token)} is neither first, last, all nor a version timestamp (e.g. ${TIMESTAMP_EXAMPLE})`,
      });
    } else if (!match.timestamps.includes(canonical)) {
      match.timestamps.push(canonical);
    }
  }
  return match;
});

const RawQuerySchema = z.object({
  added_after: TimestampSchema.optional(),
  limit: LimitSchema.optional(),
  next: z.string().optional(),
  'match[id]': IdListSchema.optional(),
  'match[type]': TypeListSchema.optional(),
  'match[version]': VersionListSchema.optional(),
  'match[spec_version]': SpecVersionListSchema.optional(),
});

const SINGLE_VALUED = ['added_after', 'limit', 'next'] as const;

/** Comma-separated values (TAXII 2.1 §3.4.1; TAXII-CLIENTS #20); a repeated parameter adds its values. */
function listValues(values: readonly string[]): string[] {
  const items = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return [...new Set(items)];
}

function describeAllowed(fields: readonly MatchField[]): string {
  const names = fields.map((f) => `match[${f}]`);
  return names.length === 1 ? `only ${names[0]}` : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * Parses the query of a read endpoint. Blank values count as absent (`added_after=` is "from the beginning").
 * Parameters that are not TAXII filters are ignored (cache-busters, client bookkeeping); an unsupported
 * `match[...]` field is a 400 naming the supported ones. Every problem found is reported at once.
 */
export function parseObjectQuery(endpoint: ListingEndpoint, params: QueryParameters): ObjectQuery {
  const problems: string[] = [];
  const allowed = MATCH_FIELDS[endpoint];
  const raw: Record<string, string | string[]> = {};

  for (const [name, values = []] of Object.entries(params)) {
    const present = values.map((v) => v.trim()).filter((v) => v.length > 0);
    if (present.length === 0) continue;
    if ((SINGLE_VALUED as readonly string[]).includes(name)) {
      const distinct = [...new Set(present)];
      if (distinct.length > 1) problems.push(`${name}: given ${distinct.length} different values; send it once`);
      else raw[name] = distinct[0]!;
      continue;
    }
    if (!name.startsWith('match[')) continue;
    const field = /^match\[([^\]]*)\]$/.exec(name)?.[1];
    if (field === undefined || !(allowed as readonly string[]).includes(field)) {
      problems.push(`${name}: not a filter of this endpoint, which supports ${describeAllowed(allowed)} (TAXII 2.1 §3.4.2)`);
      continue;
    }
    const list = listValues(present);
    // `match[id]=,,,,` is not "no filter": the client meant to filter and named nothing (TAXII 2.1 §3.4.1).
    if (list.length === 0) problems.push(`${name}: only empty values between commas; name at least one value, or leave the parameter out`);
    else raw[name] = list;
  }

  const parsed = RawQuerySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${String(issue.path[0] ?? 'query')}: ${issue.message}`);
  }
  if (problems.length > 0 || !parsed.success) throw new BadRequestError(problems.join('; '));

  const q = parsed.data;
  return {
    filters: {
      ...(q.added_after !== undefined ? { addedAfter: q.added_after } : {}),
      ids: q['match[id]'] ?? [],
      types: q['match[type]'] ?? [],
      // §5.8 lists every version; elsewhere the default is `last` (§3.4.2).
      versions: endpoint === 'versions' ? everyVersion() : (q['match[version]'] ?? lastVersionOnly()),
      specVersions: q['match[spec_version]'] ?? [],
    },
    limit: q.limit ?? DEFAULT_PAGE_SIZE,
    next: q.next,
  };
}
