import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** Writes 25 requests at a time (DynamoDB's batch limit), retrying what DynamoDB leaves unprocessed, with backoff. */
async function batchWrite(client: DynamoDBDocumentClient, tableName: string, all: WriteRequest[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let start = 0; start < all.length; start += 25) batches.push(all.slice(start, start + 25));
  await Promise.all(
    batches.map(async (batch) => {
      let requests = batch;
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
        if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 2 ** attempt * 10)));
      }
    }),
  );
}

export const batchPut = (client: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> =>
  batchWrite(
    client,
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

export const batchDelete = (client: DynamoDBDocumentClient, tableName: string, keys: Record<string, unknown>[]): Promise<void> =>
  batchWrite(
    client,
    tableName,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
