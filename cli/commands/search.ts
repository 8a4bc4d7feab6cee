/** `kyoyu search`: "have we seen this?" across every collection you may read, one value or thousands. */
import { text } from 'node:stream/consumers';
import { arg, type Command } from '../command';
import { CliError } from '../errors';
import { print, progress, type Row } from '../output';
import { collectionId, tenantOf, tenantPath } from '../scope';

/** The API's limit per request (shared/core/search/search.ts MAX_SEARCH_VALUES). */
const VALUES_PER_REQUEST = 1000;

interface Hit {
  match: string;
  value: string;
  id: string;
  type: string;
  tlp: string;
  collection: { title: string };
  last_seen: string;
  corroboration: number;
  feedback?: { false_positive: boolean };
  related: unknown[];
}
interface Answer {
  value: string;
  error?: string;
  hits: Hit[];
  truncated?: boolean;
}

/** Values from the arguments, or one per line from standard input (`-` or no argument): defanged is fine. */
async function valuesOf(args: string[], passwordFromStdin: boolean): Promise<string[]> {
  if (args.length > 0 && !(args.length === 1 && args[0] === '-')) return args;
  if (passwordFromStdin) throw new CliError('Standard input carries the password (--password-stdin): give the values as arguments');
  if (process.stdin.isTTY) throw new CliError('Give values to search for, or pipe them in, one per line; see --help');
  return (await text(process.stdin))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export const search: Command = {
  usage: 'search VALUE… | search - < values.txt',
  help:
    'Which shared objects state these values, across every collection you may read: addresses, networks (what covers an address, ' +
    'what is inside a /16 or narrower), domains (*.example.com: and subdomains), URLs, e-mail addresses, hashes, CVE and ATT&CK ids, ' +
    'file names and other values; defanged input (hxxp, [.]) is fine. One row per hit; --json gives related items and feedback too.',
  run: async (ctx) => {
    const values = await valuesOf(ctx.args, ctx.values['password-stdin'] === true);
    const c = await ctx.connect();
    const tenant = await tenantOf(c);
    const answers: Answer[] = [];
    for (let start = 0; start < values.length; start += VALUES_PER_REQUEST) {
      const { results } = await c.api<{ results: Answer[] }>('POST', `/${encodeURIComponent(tenant)}/search/`, {
        values: values.slice(start, start + VALUES_PER_REQUEST),
      });
      answers.push(...results);
      progress(answers.length, values.length, 'values searched');
    }
    if (ctx.json) return print(ctx, answers);
    const rows: Row[] = answers.flatMap((a): Row[] =>
      a.error
        ? [{ value: a.value, match: 'error', id: a.error }]
        : a.hits.length === 0
          ? [{ value: a.value, match: 'none' }]
          : a.hits.map((h) => ({
              value: a.value,
              match: h.match === 'exact' ? 'exact' : `${h.match} (${h.value})`,
              id: h.id,
              tlp: h.tlp,
              collection: h.collection.title,
              last_seen: h.last_seen,
              reports: h.corroboration,
              related: h.related.length,
              flagged: h.feedback?.false_positive ? 'false positive' : '',
            })),
    );
    print(ctx, rows, ['value', 'match', 'id', 'tlp', 'collection', 'last_seen', 'reports', 'related', 'flagged']);
    const cut = answers.filter((a) => a.truncated).map((a) => a.value);
    if (cut.length > 0)
      process.stderr.write(`More objects state ${cut.join(', ')} than one search returns: search a narrower network or fewer values\n`);
  },
};

export const reindex: Command = {
  usage: 'reindex COLLECTION',
  help: "Rebuild a collection's search index from its stored versions (tenant admins; COLLECTION is an id or a title).",
  run: async (ctx) => {
    const c = await ctx.connect();
    const tenant = await tenantOf(c);
    const id = await collectionId(c, tenant, arg(ctx, 0, 'collection'));
    let next: string | undefined;
    let total = { objects: 0, postings: 0 };
    do {
      const answer = await c.api<{ objects: number; postings: number; next?: string }>(
        'POST',
        `${await tenantPath(c)}/collections/${id}/search-index`,
        next ? { next } : {},
      );
      total = { objects: total.objects + answer.objects, postings: total.postings + answer.postings };
      next = answer.next;
      if (process.stderr.isTTY) process.stderr.write(`\r${total.objects} objects reindexed`);
    } while (next);
    if (process.stderr.isTTY) process.stderr.write('\n');
    print(ctx, { collection: id, ...total });
  },
};
