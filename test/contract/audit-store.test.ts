import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditStore } from '../../shared/adapters/dynamodb/audit-store';
import { auditKeys } from '../../shared/adapters/dynamodb/keys';
import { HmacAuditMac } from '../../shared/adapters/hmac/audit-mac';
import { S3AnchorStore } from '../../shared/adapters/s3/anchor-store';
import { sealEntry, verifyChain } from '../../shared/core/audit/chain';
import type { AuditDraft, AuditEntry } from '../../shared/core/audit/entry';
import { createS3Client } from '../../shared/runtime/aws-clients';
import { localClients } from '../../infra/local/platform';
import { createLocalResources } from '../../infra/local/resources';
import { testEndpoints, uniquePrefix } from '../support/emulators';
import { freshTables } from '../support/tables';

/** Every command the adapter sends, by name and with its condition: what it can do to the table, as data. */
function recording(client: DynamoDBDocumentClient): {
  client: DynamoDBDocumentClient;
  sent: Array<{ command: string; condition?: string }>;
} {
  const sent: Array<{ command: string; condition?: string }> = [];
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return (command: { constructor: { name: string }; input: { ConditionExpression?: string } }) => {
        sent.push({
          command: command.constructor.name,
          ...(command.input.ConditionExpression ? { condition: command.input.ConditionExpression } : {}),
        });
        return target.send(command as never);
      };
    },
  });
  return { client: proxy, sent };
}

const KEY = new HmacAuditMac(['the appenders-only audit key, 32+ characters long']);
const draft = (action: string): AuditDraft => ({ actor: { username: 'ics-admin', role: 'tenant-admin' }, action, after: { tier: 2 } });

let store: DynamoAuditStore;
let sent: Array<{ command: string; condition?: string }>;
let documentClient: DynamoDBDocumentClient;
let table: string;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('audit');
  table = t.tables.audit!;
  documentClient = t.documentClient;
  const recorder = recording(t.documentClient);
  sent = recorder.sent;
  store = new DynamoAuditStore(recorder.client, table);
  close = t.close;
});
afterAll(() => close());

describe('DynamoAuditStore on DynamoDB Local', () => {
  it('refuses to overwrite an entry: a taken sequence number answers exists and the first entry stays', async () => {
    const first = await sealEntry('ics-isac', draft('member.update'), undefined, Date.parse('2026-11-30T10:00:00Z'), KEY);
    const rival = await sealEntry('ics-isac', draft('member.delete'), undefined, Date.parse('2026-11-30T10:00:01Z'), KEY);

    const outcomes = [await store.put(first), await store.put(rival), await store.put(first)];
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: table, Key: auditKeys.entry('ics-isac', 1), ConsistentRead: true }),
    );

    expect(outcomes).toEqual(['created', 'exists', 'exists']);
    expect(Item).toMatchObject({ action: 'member.update', hash: first.hash, mac: first.mac });
    expect(await store.head('ics-isac')).toEqual(first);
  });

  it('lets exactly one of concurrent writers take a sequence number', async () => {
    const rivals = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sealEntry('fin-isac', draft(`a${i}`), undefined, Date.now(), KEY)),
    );
    const outcomes = await Promise.all(rivals.map((e) => store.put(e)));
    const kept = (await store.scan('fin-isac', 0, 10)) as AuditEntry[];

    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(kept.map((e) => e.hash)).toEqual([rivals[outcomes.indexOf('created')]!.hash]);
  });

  it("lists and scans every entry of a chain whose entries fill several of DynamoDB's 1 MB pages", async () => {
    // Prepare: 20 entries of about 300 KB (near DynamoDB's 400 KB item limit), 6 MB: at least five 1 MB pages.
    const chain = 'big-isac';
    const written: AuditEntry[] = [];
    for (let i = 0; i < 20; i++) {
      const big: AuditDraft = { ...draft('subscription.create'), after: { filter: `${i}`.padEnd(300_000, 'x') } };
      const entry = await sealEntry(chain, big, written.at(-1), Date.parse('2026-11-30T10:00:00Z') + i * 1000, KEY);
      expect(await store.put(entry)).toBe('created');
      written.push(entry);
    }
    const anchor = { chain, seq: 20, hash: written[19]!.hash, at: '2026-11-30T11:00:00.000Z' };

    // Act: the listing a page at a time as the admin API resumes it, a scan, and a verification against an anchor of the head.
    const pages: Array<{ seqs: number[]; more: boolean }> = [];
    let after: { at: string; seq: number } | undefined;
    for (let more = true; more && pages.length < 20; ) {
      const page = await store.query(chain, { limit: 100, ...(after ? { after } : {}) });
      pages.push({ seqs: page.entries.map((e) => e.seq), more: page.more });
      const last = page.entries.at(-1);
      if (last) after = { at: last.at, seq: last.seq };
      more = page.more;
    }
    const scanned = await store.scan(chain, 0, 500);
    const verification = await verifyChain(chain, {
      audit: store,
      mac: KEY,
      anchors: { latest: async () => anchor, put: async () => undefined },
    });

    // Assess: nothing is missed, no page claims to be the last while entries remain, every entry is checked.
    expect(pages.flatMap((p) => p.seqs)).toEqual(written.map((e) => e.seq));
    expect(pages.slice(0, -1).every((p) => p.more && p.seqs.length > 0)).toBe(true);
    expect(pages.at(-1)!.more).toBe(false);
    expect(pages.length).toBeGreaterThan(1);
    expect(scanned.map((e) => e.hash)).toEqual(written.map((e) => e.hash));
    expect(verification).toMatchObject({ ok: true, entries: 20, headHash: written[19]!.hash, problems: [] });
  });

  it('has no way to change or remove an entry: it only puts new items, conditionally, and queries', async () => {
    await store.query('ics-isac', { limit: 10 });
    await store.scan('ics-isac', 0, 10);

    expect(Object.getOwnPropertyNames(DynamoAuditStore.prototype).sort()).toEqual(['constructor', 'head', 'put', 'query', 'scan']);
    expect([...new Set(sent.map((s) => JSON.stringify(s)))].sort()).toEqual(
      [{ command: 'PutCommand', condition: 'attribute_not_exists(pk)' }, { command: 'QueryCommand' }].map((s) => JSON.stringify(s)).sort(),
    );
  });
});

describe('S3AnchorStore on s3rver', () => {
  it('answers the highest anchor of a chain, whatever order anchors were put in, and only that chain', async () => {
    const clients = localClients(testEndpoints());
    const resources = await createLocalResources(uniquePrefix('anchors'), clients);
    clients.dynamodb.destroy();
    clients.sqs.destroy();
    // The client the functions use (its checksum settings are what s3rver accepts); credentials as freshTables set them.
    const s3 = createS3Client({ AWS_REGION: 'us-east-1', S3_ENDPOINT: testEndpoints().s3, LOG_LEVEL: 'silent' });
    const anchors = new S3AnchorStore(s3, resources.buckets.anchors!);
    const anchor = (chain: string, seq: number) => ({ chain, seq, hash: `h${seq}`, at: '2026-11-30T10:00:00.000Z' });

    const before = await anchors.latest('ics-isac#auth');
    for (const seq of [3, 120, 7, 9]) await anchors.put(anchor('ics-isac#auth', seq));
    await anchors.put(anchor('ics-isac', 500));

    expect(before).toBeUndefined();
    expect(await anchors.latest('ics-isac#auth')).toEqual(anchor('ics-isac#auth', 120));
    expect(await anchors.latest('ics-isac')).toEqual(anchor('ics-isac', 500));
    expect(await anchors.latest('ics')).toBeUndefined();
    s3.destroy();
    clients.s3.destroy();
  });
});
