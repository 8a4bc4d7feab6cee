/** `kyoyu subscription` and `kyoyu alert`: where a member's alerts go, and the alerts ledger (issue #16, docs/alerts.md). */
import { arg, defined, int, list, type CommandGroup, type Context } from '../command';
import { CliError } from '../errors';
import type { Values } from '../options';
import { print, type Row } from '../output';
import { memberPath, tenantPath } from '../scope';

const SUBSCRIPTION_COLUMNS = ['id', 'channel.kind', 'channel.url', 'channel.address', 'role', 'payload', 'status', 'disabledReason'];
const ALERT_COLUMNS = [
  'alertId',
  'raisedAt',
  'tlp',
  'kind',
  'urgent',
  'title',
  'counts.recipients',
  'counts.delivered',
  'counts.acknowledged',
];

function filters(v: Values): Row | undefined {
  const given = defined({
    collections: list(v.collections),
    types: list(v.types),
    labels: list(v.labels),
    minConfidence: int('min-confidence', v['min-confidence']),
    urgentOnly: v['urgent-only'],
  });
  return Object.keys(given).length ? { collections: [], types: [], labels: [], minConfidence: 0, urgentOnly: false, ...given } : undefined;
}

function channel(v: Values): Row {
  if (v.url && v.email) throw new CliError('Give --url (a webhook) or --email, not both');
  if (v.url) return { kind: 'webhook', url: v.url };
  if (v.email) return defined({ kind: 'email', address: v.email, language: v.language, plainTextAboveClear: v['plain-text-above-clear'] });
  throw new CliError('Missing --url (a webhook) or --email; see --help');
}

const subscriptionPath = async (ctx: Context, c: Awaited<ReturnType<Context['connect']>>) => `${await memberPath(ctx, c)}/subscriptions`;

export const subscriptionCommands: CommandGroup = {
  list: {
    usage: 'subscription list [--member M]',
    help: "A member's alert subscriptions (never their secrets); without --member, every member's (tenant admins).",
    run: async (ctx) => {
      const c = await ctx.connect();
      const all = ctx.values.member === undefined;
      const path = all ? `${await tenantPath(c)}/subscriptions` : await subscriptionPath(ctx, c);
      print(
        ctx,
        (await c.api<{ subscriptions: Row[] }>('GET', path)).subscriptions,
        all ? ['memberId', ...SUBSCRIPTION_COLUMNS] : SUBSCRIPTION_COLUMNS,
      );
    },
  },
  add: {
    usage:
      'subscription add --member M (--url https://… | --email ADDRESS [--language ja|en] [--plain-text-above-clear]) [--payload thin|full] ' +
      '[--escalation] [--collections ID,…] [--types a,b] [--labels a,b] [--min-confidence N] [--urgent-only]',
    help: 'Subscribe a webhook or an e-mail address to alerts. A webhook’s whsec_ secret is printed once, now. --escalation: a secondary contact, alerted when an alert stays unacknowledged past its deadline.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const body = defined({ channel: channel(v), payload: v.payload, role: v.escalation ? 'escalation' : undefined, filters: filters(v) });
      print(ctx, await c.api('POST', await subscriptionPath(ctx, c), body));
    },
  },
  show: {
    usage: 'subscription show ID --member M',
    help: 'One subscription: its filters, status and why it was disabled.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await subscriptionPath(ctx, c)}/${encodeURIComponent(arg(ctx, 0, 'subscription id'))}`));
    },
  },
  update: {
    usage: 'subscription update ID --member M [--payload thin|full] [--status active|disabled] [--escalation] [the filter options of add]',
    help: 'Change a subscription (only the options given; filters are replaced as a whole); --status active re-enables one a 410 disabled.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values;
      const body = defined({ payload: v.payload, status: v.status, role: v.escalation ? 'escalation' : undefined, filters: filters(v) });
      print(ctx, await c.api('PATCH', `${await subscriptionPath(ctx, c)}/${encodeURIComponent(arg(ctx, 0, 'subscription id'))}`, body));
    },
  },
  remove: {
    usage: 'subscription remove ID --member M',
    help: 'Delete a subscription.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const id = arg(ctx, 0, 'subscription id');
      await c.api('DELETE', `${await subscriptionPath(ctx, c)}/${encodeURIComponent(id)}`);
      print(ctx, { removed: id });
    },
  },
  rotate: {
    usage: 'subscription rotate ID --member M [--finish]',
    help: 'A new webhook secret, printed once; the previous one keeps signing beside it until `rotate --finish`.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const path = `${await subscriptionPath(ctx, c)}/${encodeURIComponent(arg(ctx, 0, 'subscription id'))}/rotate`;
      print(ctx, await c.api('POST', path, { finish: ctx.values.finish ?? false }));
    },
  },
};

export const alertCommands: CommandGroup = {
  list: {
    usage: 'alert list [--limit N]',
    help: "Alerts, newest first: your member's own with their deliveries; tenant admins every alert with counts.",
    run: async (ctx) => {
      const c = await ctx.connect();
      const query = new URLSearchParams(defined({ limit: ctx.values.limit }) as Record<string, string>);
      print(ctx, (await c.api<{ alerts: Row[] }>('GET', `${await tenantPath(c)}/alerts?${query}`)).alerts, ALERT_COLUMNS);
    },
  },
  show: {
    usage: 'alert show ALERT_ID',
    help: 'One alert: your deliveries and acknowledgement; tenant admins every recipient’s; its provider the counts only.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await tenantPath(c)}/alerts/${encodeURIComponent(arg(ctx, 0, 'alert id'))}`));
    },
  },
  ack: {
    usage: 'alert ack ALERT_ID',
    help: 'Acknowledge an alert for your member (once; again, it shows the first acknowledgement).',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('POST', `${await tenantPath(c)}/alerts/${encodeURIComponent(arg(ctx, 0, 'alert id'))}`, {}));
    },
  },
};
