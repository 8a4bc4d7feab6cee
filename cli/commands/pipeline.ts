/** `kyoyu dlq` and `kyoyu stats`: the sharing pipeline's dead letters (operators) and funnel per stage. */
import { arg, type Command, type CommandGroup } from '../command';
import { print, type Row } from '../output';
import { tenantOf } from '../scope';

const STAGES = 'a stage (normalize, filter, dedupe, anonymize, commit)';
const deadLetters = (stage: string) => `/admin/pipeline/${encodeURIComponent(stage)}/dead-letters`;

export const dlqCommands: CommandGroup = {
  list: {
    usage: 'dlq list STAGE',
    help: 'Messages that kept failing in a pipeline stage, with the last error (operators).',
    run: async (ctx) => {
      const c = await ctx.connect();
      const { messages } = await c.api<{ messages: Row[] }>('GET', deadLetters(arg(ctx, 0, STAGES)));
      print(ctx, messages, ['messageId', 'receiveCount', 'tenantId', 'statusId', 'objects', 'reason']);
    },
  },
  redrive: {
    usage: 'dlq redrive STAGE',
    help: "Send every message of a stage's dead-letter queue back to the stage (operators).",
    run: async (ctx) => {
      const c = await ctx.connect();
      print(ctx, await c.api('POST', `${deadLetters(arg(ctx, 0, STAGES))}/redrive`));
    },
  },
};

interface Stage {
  stage: string;
  counts: Row;
  droppedBy: Record<string, number>;
  registry?: Record<string, { withheld: number; redacted: number }>;
}

const joined = (entries: Array<[string, string | number]>) => entries.map(([k, v]) => `${k}: ${v}`).join('; ');

export const stats: Command = {
  usage: 'stats [TENANT]',
  help: 'The pipeline funnel of a tenant: per stage, objects received, forwarded, dropped (with reasons), failed, committed.',
  run: async (ctx) => {
    const c = await ctx.connect();
    const tenant = ctx.args[0] ?? (await tenantOf(c));
    const { stages } = await c.api<{ stages: Stage[] }>('GET', `/admin/tenants/${encodeURIComponent(tenant)}/stats`);
    if (ctx.json) return print(ctx, stages);
    const registry = (s: Stage) =>
      joined(Object.entries(s.registry ?? {}).map(([member, e]) => [member, `${e.withheld} withheld, ${e.redacted} redacted`]));
    const rows = stages.map((s) => ({
      stage: s.stage,
      ...s.counts,
      'dropped by': joined(Object.entries(s.droppedBy)),
      'by registry': registry(s),
    }));
    print(ctx, rows, ['stage', 'received', 'forwarded', 'dropped', 'failed', 'committed', 'dropped by', 'by registry']);
  },
};
