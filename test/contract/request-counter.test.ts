import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRequestCounter } from '../../shared/adapters/dynamodb/request-counter';
import { throttleWindow } from '../../shared/core/policy/tenant-throttle';
import { freshTables } from '../support/tables';

let counter: DynamoRequestCounter;
let client: DynamoDBDocumentClient;
let table: string;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('throttle');
  table = t.tables.throttle!;
  client = t.documentClient;
  counter = new DynamoRequestCounter(client, table);
  close = t.close;
});
afterAll(() => close());

// Windows of the present: DynamoDB Local, like DynamoDB, deletes items whose expiresAt has passed.
const minute = throttleWindow(Date.now());
const next = throttleWindow(minute.endMs);
const sortKey = `MINUTE#${new Date(minute.startMs).toISOString()}`;

describe('DynamoRequestCounter on DynamoDB Local', () => {
  it('counts concurrent requests exactly, per tenant and per window', async () => {
    const counts = await Promise.all(Array.from({ length: 25 }, () => counter.count('ics-isac', minute)));

    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(await counter.count('ics-isac', minute)).toBe(26);
    expect(await counter.count('ics-isac', next)).toBe(1);
    expect(await counter.count('fin-isac', minute)).toBe(1);
  });

  it('keeps one item per tenant and minute that expires a few minutes after the window', async () => {
    await counter.count('rail-isac', minute);
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: { pk: 'TENANT#rail-isac', sk: sortKey } }));

    expect(sortKey).toMatch(/^MINUTE#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(Item).toEqual({ pk: 'TENANT#rail-isac', sk: sortKey, requests: 1, expiresAt: minute.endMs / 1000 + 300 });
  });
});
