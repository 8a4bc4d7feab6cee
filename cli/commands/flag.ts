/** `kyoyu flag`: false-positive flags (docs/moderation.md "False-positive flags"). */
import { one, type CommandGroup, type Context } from '../command';
import { print, type Row } from '../output';
import { collectionId, tenantOf, tenantPath } from '../scope';

const value = (ctx: Context, name: 'object' | 'reason') => one(ctx.values[name] ? [ctx.values[name]] : undefined, name);

const decide = (decision: 'confirm' | 'lift', help: string) => ({
  usage: `flag ${decision} --collection ID|TITLE --object ID --reason TEXT`,
  help,
  run: async (ctx: Context) => {
    const c = await ctx.connect();
    const named = one(ctx.values.collection ? [ctx.values.collection] : undefined, 'collection');
    const body = {
      collectionId: await collectionId(c, await tenantOf(c), named),
      objectId: value(ctx, 'object'),
      decision,
      reason: value(ctx, 'reason'),
    };
    print(ctx, await c.api('POST', `${await tenantPath(c)}/flags`, body));
  },
});

export const flagCommands: CommandGroup = {
  list: {
    usage: 'flag list',
    help: 'False-positive flags: on your own objects (providers), or every one with who decided (moderators, tenant admins).',
    run: async (ctx) => {
      const c = await ctx.connect();
      const { flags } = await c.api<{ flags: Row[] }>('GET', `${await tenantPath(c)}/flags`);
      print(ctx, ctx.json ? { flags } : flags, [
        'collectionId',
        'objectId',
        'feedback.false_positive',
        'feedback.flagged_by',
        'feedback.disagree',
        'feedback.strongly-disagree',
        'decision.state',
      ]);
    },
  },
  confirm: decide('confirm', 'Flag an object as a false positive whatever the opinions say: exports leave it out (moderators, audited).'),
  lift: decide('lift', 'Lift a flag: the object is exported again until enough members disagree after the lift (moderators, audited).'),
};
