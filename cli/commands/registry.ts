/** `kyoyu registry`: a member's identifiers, which the anonymize stage withholds or redacts. */
import { defined, list, type CommandGroup, type Context } from '../command';
import { print, type Row } from '../output';
import { memberPath } from '../scope';

const decide = (verb: 'approve' | 'reject') => async (ctx: Context) => {
  const c = await ctx.connect();
  print(ctx, await c.api('POST', `${await memberPath(ctx, c)}/registry/${verb}`, defined({ proposedAt: ctx.values['proposed-at'] })));
};

export const registryCommands: CommandGroup = {
  get: {
    usage: 'registry get --member M',
    help: "A member's identifier registry (the member and tenant admins only).",
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('GET', `${await memberPath(ctx, c)}/registry`));
    },
  },
  set: {
    usage:
      'registry set --member M [--names a,b] [--domains a,b] [--email-domains a,b] [--ip-ranges a,b] [--brands a,b] ' +
      '[--internal-host-suffixes a,b] [--reference-prefixes a,b]',
    help:
      "Replace the lists given (the others stay as they are in the active registry). A tenant admin's change is active at once; " +
      "a member's is a proposal until a tenant admin approves it.",
    run: async (ctx) => {
      const c = await ctx.connect();
      const path = `${await memberPath(ctx, c)}/registry`;
      const { tenantId: _t, memberId: _m, pending: _p, ...current } = await c.api<Row>('GET', path);
      const v = ctx.values;
      const changes = defined({
        names: list(v.names),
        domains: list(v.domains),
        emailDomains: list(v['email-domains']),
        ipRanges: list(v['ip-ranges']),
        brands: list(v.brands),
        internalHostSuffixes: list(v['internal-host-suffixes']),
        referencePrefixes: list(v['reference-prefixes']),
      });
      print(ctx, await c.api('PUT', path, { ...current, ...changes }));
    },
  },
  approve: {
    usage: 'registry approve --member M [--proposed-at T]',
    help: "Make the member's pending registry change active (tenant admins); --proposed-at refuses if a newer proposal replaced that one.",
    run: decide('approve'),
  },
  reject: {
    usage: 'registry reject --member M [--proposed-at T]',
    help: "Discard the member's pending registry change (tenant admins).",
    run: decide('reject'),
  },
};
