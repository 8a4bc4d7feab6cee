import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** DynamoDB's limit of keys per BatchGetItem. */
const KEYS_PER_GET = 100;

/**
 * The items at `keys` that exist, 100 keys per request, retrying what DynamoDB leaves unprocessed with backoff;
 * strongly consistent unless told otherwise. Order is not kept.
 */
export async function batchGet(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<Record<string, unknown>>,
  options: { consistent?: boolean; projection?: string } = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  await Promise.all(
    Array.from({ length: Math.ceil(keys.length / KEYS_PER_GET) }, async (_, n) => {
      let pending = keys.slice(n * KEYS_PER_GET, (n + 1) * KEYS_PER_GET) as Array<Record<string, unknown>>;
      for (let attempt = 0; pending.length > 0; attempt++) {
        const request = {
          Keys: pending,
          ConsistentRead: options.consistent ?? true,
          ...(options.projection ? { ProjectionExpression: options.projection } : {}),
        };
        const result = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: request } }));
        found.push(...(result.Responses?.[tableName] ?? []));
        pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as typeof pending;
        if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 2 ** attempt * 10)));
      }
    }),
  );
  return found;
}
