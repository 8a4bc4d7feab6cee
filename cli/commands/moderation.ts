/** `kyoyu moderation` and `kyoyu review`: the moderation queue (moderators) and the provider's own items (issue #14). */
import { readFileSync } from 'node:fs';
import { arg, defined, one, type CommandGroup, type Context } from '../command';
import { CliError } from '../errors';
import { print, type Row } from '../output';
import { tenantPath } from '../scope';

const COLUMNS = ['itemId', 'state', 'tlp', 'type', 'objectId', 'collectionId', 'providerMemberId', 'reason'];
const enc = encodeURIComponent;

/** The redacted version: a STIX object from a file (or `-` for stdin). */
export function objectFrom(ctx: Context): Row {
  const file = one(ctx.values.file ? [ctx.values.file] : undefined, 'file');
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Row;
  } catch {
    // reported below
  }
  throw new CliError(`${file}: not one STIX object in JSON`);
}

const decide = (body: (ctx: Context) => Row) => async (ctx: Context) => {
  const c = await ctx.connect();
  const item = arg(ctx, 0, 'ITEM id');
  print(ctx, await c.api('POST', `${await tenantPath(c)}/moderation/${enc(item)}/decision`, body(ctx)));
};

const answer = (body: (ctx: Context) => Row) => async (ctx: Context) => {
  const c = await ctx.connect();
  const item = arg(ctx, 0, 'ITEM id');
  print(ctx, await c.api('POST', `${await tenantPath(c)}/reviews/${enc(item)}`, body(ctx)));
};

const text = (ctx: Context, name: 'reason' | 'question' | 'answer') => one(ctx.values[name] ? [ctx.values[name]] : undefined, name);

export const moderationCommands: CommandGroup = {
  list: {
    usage:
      'moderation list [--collection ID] [--provider MEMBER] [--status queued|returned|awaiting-provider] [--reason TEXT] ' +
      '[--queued-before T] [--limit N] [--next ITEM]',
    help: 'The queue, oldest first: items waiting for a moderator or their provider that you may read (moderators, tenant admins).',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const filters = { collection: v.collection, provider: v.provider, state: v.status, reason: v.reason };
      const paging = { queued_before: v['queued-before'], limit: v.limit, next: v.next };
      const query = new URLSearchParams(defined({ ...filters, ...paging }) as Record<string, string>);
      const page = await c.api<{ items: Row[]; next?: string }>('GET', `${await tenantPath(c)}/moderation${query.size ? `?${query}` : ''}`);
      if (ctx.json) print(ctx, page);
      else print(ctx, page.items, COLUMNS);
      if (!ctx.json && page.next) process.stderr.write(`more: --next ${page.next}\n`);
    },
  },
  show: {
    usage: 'moderation show ITEM',
    help: "One item: the version to be published, the provider's original and every difference (your read of the original is audited).",
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await tenantPath(c)}/moderation/${enc(arg(ctx, 0, 'ITEM id'))}`));
    },
  },
  approve: {
    usage: 'moderation approve ITEM',
    help: 'Publish the item as it stands (or send it to its provider for review first).',
    run: decide(() => ({ decision: 'approve' })),
  },
  redact: {
    usage: 'moderation redact ITEM --file OBJECT.json [--approve]',
    help:
      'Replace the version to be published by a redaction of it (properties removed, text masked with [REDACTED]); ' +
      '--approve publishes it at once.',
    run: decide((ctx) => ({ decision: 'redact', object: objectFrom(ctx), approve: ctx.values.approve === true })),
  },
  reject: {
    usage: 'moderation reject ITEM --reason TEXT',
    help: "Refuse the item; its provider's status says why.",
    run: decide((ctx) => ({ decision: 'reject', reason: text(ctx, 'reason') })),
  },
  return: {
    usage: 'moderation return ITEM --question TEXT',
    help: 'Ask the provider a question; the item waits for its answer.',
    run: decide((ctx) => ({ decision: 'return', question: text(ctx, 'question') })),
  },
};

export const reviewCommands: CommandGroup = {
  list: {
    usage: 'review list',
    help: "Your own items waiting for you: a version to approve before publication, or a moderator's question.",
    run: async (ctx) => {
      const c = await ctx.connect();
      const { items } = await c.api<{ items: Row[] }>('GET', `${await tenantPath(c)}/reviews`);
      print(ctx, ctx.json ? { items } : items, [...COLUMNS.slice(0, 5), 'deadline', 'question']);
    },
  },
  approve: { usage: 'review approve ITEM', help: 'Agree to publish the version shown.', run: answer(() => ({ decision: 'approve' })) },
  redact: {
    usage: 'review redact ITEM --file OBJECT.json',
    help: 'Publish a further redaction of the version shown.',
    run: answer((ctx) => ({ decision: 'redact', object: objectFrom(ctx) })),
  },
  withdraw: {
    usage: 'review withdraw ITEM [--reason TEXT]',
    help: 'Withdraw your item; nobody will see it.',
    run: answer((ctx) => defined({ decision: 'withdraw', reason: ctx.values.reason })),
  },
  answer: {
    usage: 'review answer ITEM --answer TEXT',
    help: "Answer a moderator's question; the item goes back to the queue.",
    run: answer((ctx) => ({ decision: 'answer', answer: text(ctx, 'answer') })),
  },
};
