import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FUNNEL_COUNTS, type FunnelRecord, type StageFunnel } from '../../core/pipeline/funnel';
import type { FunnelStore } from '../../core/ports';
import type { RegistryEffect } from '../../core/pipeline/outcome';
import { funnelKeys } from './keys';
import { partitionItems } from './query-all';

function registryOf(item: Record<string, unknown>): Pick<StageFunnel, 'registry'> {
  const registry: RegistryEffect = {};
  for (const [key, n] of Object.entries(item)) {
    const match = /^registry:(.+):(withheld|redacted)$/.exec(key);
    if (match) (registry[match[1]!] ??= { withheld: 0, redacted: 0 })[match[2] as 'withheld' | 'redacted'] = n as number;
  }
  return Object.keys(registry).length > 0 ? { registry } : {};
}

/** One item per tenant and stage; counters grow with atomic ADDs, so concurrent stages never lose a count. */
export class DynamoFunnelStore implements FunnelStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(tenantId: string, stage: string, record: FunnelRecord): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds: string[] = [];
    FUNNEL_COUNTS.forEach((count, i) => {
      if (!record.counts[count]) return;
      names[`#c${i}`] = count;
      values[`:c${i}`] = record.counts[count];
      adds.push(`#c${i} :c${i}`);
    });
    Object.entries(record.droppedBy).forEach(([reason, n], i) => {
      // Reasons become attributes of their own: ADD cannot reach into a map that may not exist yet.
      names[`#r${i}`] = `dropped:${reason}`;
      values[`:r${i}`] = n;
      adds.push(`#r${i} :r${i}`);
    });
    Object.entries(record.registry ?? {}).forEach(([member, effect], i) => {
      for (const what of ['withheld', 'redacted'] as const) {
        if (!effect[what]) continue;
        names[`#g${i}${what[0]}`] = `registry:${member}:${what}`;
        values[`:g${i}${what[0]}`] = effect[what];
        adds.push(`#g${i}${what[0]} :g${i}${what[0]}`);
      }
    });
    if (adds.length === 0) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: funnelKeys.stage(tenantId, stage),
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async read(tenantId: string): Promise<StageFunnel[]> {
    const items = await partitionItems(this.client, this.tableName, funnelKeys.pk(tenantId));
    return items.map((item) => ({
      stage: (item.sk as string).replace(/^STAGE#/, ''),
      counts: Object.fromEntries(FUNNEL_COUNTS.map((c) => [c, (item[c] as number | undefined) ?? 0])) as StageFunnel['counts'],
      droppedBy: Object.fromEntries(
        Object.entries(item)
          .filter(([key]) => key.startsWith('dropped:'))
          .map(([key, n]) => [key.slice('dropped:'.length), n as number]),
      ),
      ...registryOf(item),
    }));
  }
}
