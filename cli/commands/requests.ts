/** `kyoyu takedown` and `kyoyu support`: what members ask of the hub's moderators (issue #14). */
import { arg, defined, one, type CommandGroup, type Context } from '../command';
import { CliError } from '../errors';
import { print, type Row } from '../output';
import { collectionId, tenantOf, tenantPath } from '../scope';
import { objectFrom } from './moderation';

const enc = encodeURIComponent;
const value = (ctx: Context, name: 'object' | 'details' | 'note' | 'subject' | 'text' | 'kind' | 'question') =>
  one(ctx.values[name] ? [ctx.values[name]] : undefined, name);

export const takedownCommands: CommandGroup = {
  request: {
    usage:
      'takedown request --collection ID|TITLE --object ID ' +
      '--kind personal-data|wrong-attribution|victim-identifiable|incorrect|other --details TEXT',
    help: 'Ask the moderators to take down or correct an item you receive; its provider never learns who asked.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const named = one(ctx.values.collection ? [ctx.values.collection] : undefined, 'collection');
      const collection = await collectionId(c, await tenantOf(c), named);
      const body = { collectionId: collection, objectId: value(ctx, 'object'), kind: value(ctx, 'kind'), details: value(ctx, 'details') };
      print(ctx, await c.api('POST', `${await tenantPath(c)}/takedowns`, body));
    },
  },
  mine: {
    usage: 'takedown mine',
    help: "Your member's requests and their outcomes.",
    run: async (ctx) => {
      const c = await ctx.connect();
      const { requests } = await c.api<{ requests: Row[] }>('GET', `${await tenantPath(c)}/takedowns/mine`);
      print(ctx, ctx.json ? { requests } : requests, ['requestId', 'state', 'kind', 'objectId', 'outcome.note']);
    },
  },
  list: {
    usage: 'takedown list',
    help: 'Open requests about items you may read, with who asked (moderators, tenant admins).',
    run: async (ctx) => {
      const c = await ctx.connect();
      const { requests } = await c.api<{ requests: Row[] }>('GET', `${await tenantPath(c)}/takedowns`);
      print(ctx, ctx.json ? { requests } : requests, ['requestId', 'kind', 'objectId', 'requester.memberId', 'details']);
    },
  },
  decide: {
    usage: 'takedown decide REQUEST (--revoke | --file CORRECTED.json | --dismiss) [--note TEXT]',
    help: 'Revoke the item (a new version with revoked: true), publish a correction (remove or mask only), or dismiss with a note.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const v = ctx.values as Record<string, unknown>;
      const chosen = [v.revoke, v.file, v.dismiss].filter(Boolean).length;
      if (chosen !== 1) throw new CliError('Give exactly one of --revoke, --file CORRECTED.json, --dismiss');
      const decision = v.revoke
        ? { decision: 'revoke' }
        : v.file
          ? { decision: 'correct', object: objectFrom(ctx) }
          : { decision: 'dismiss', note: value(ctx, 'note') };
      const path = `${await tenantPath(c)}/takedowns/${enc(arg(ctx, 0, 'REQUEST id'))}/decision`;
      print(ctx, await c.api('POST', path, { ...defined({ note: ctx.values.note }), ...decision }));
    },
  },
};

export const supportCommands: CommandGroup = {
  ask: {
    usage: 'support ask --subject TEXT --question TEXT [--collection ID --object ID]',
    help: 'Ask the hub for analysis support; only your member and the moderators see the thread.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const about = ctx.values.object
        ? { collectionId: await collectionId(c, await tenantOf(c), ctx.values.collection ?? ''), objectId: ctx.values.object }
        : {};
      const body = { subject: value(ctx, 'subject'), question: value(ctx, 'question'), ...about };
      print(ctx, await c.api('POST', `${await tenantPath(c)}/support`, body));
    },
  },
  list: {
    usage: 'support list',
    help: "Support threads: every one for moderators, your member's own for anyone else.",
    run: async (ctx) => {
      const c = await ctx.connect();
      const { requests } = await c.api<{ requests: Row[] }>('GET', `${await tenantPath(c)}/support`);
      print(ctx, ctx.json ? { requests } : requests, ['requestId', 'state', 'memberId', 'subject', 'messages']);
    },
  },
  show: {
    usage: 'support show REQUEST',
    help: 'One thread with its messages.',
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await tenantPath(c)}/support/${enc(arg(ctx, 0, 'REQUEST id'))}`));
    },
  },
  answer: {
    usage: 'support answer REQUEST --text TEXT [--close]',
    help: 'Add a message to a thread (the asking member or a moderator); --close closes it.',
    run: async (ctx) => {
      const c = await ctx.connect();
      const body = { text: value(ctx, 'text'), close: ctx.values.close === true };
      print(ctx, await c.api('POST', `${await tenantPath(c)}/support/${enc(arg(ctx, 0, 'REQUEST id'))}/messages`, body));
    },
  },
};
