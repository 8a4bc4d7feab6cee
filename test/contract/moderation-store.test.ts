import { DynamoModerationStore } from '../../shared/adapters/dynamodb/moderation-store';
import type { ModerationItem } from '../../shared/core/moderation/queue';
import { freshTables } from '../support/tables';

let store: DynamoModerationStore;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('moderation');
  store = new DynamoModerationStore(t.documentClient, t.tables.objects!);
  close = t.close;
});
afterAll(() => close());

const itemOf = (n: number, changes: Partial<ModerationItem> = {}): ModerationItem => ({
  tenantId: 't1',
  itemId: `2026-11-30T09:00:${String(n).padStart(2, '0')}.000Z#s${n}#0`,
  collectionId: n % 2 === 0 ? 'even' : 'odd',
  statusId: `s${n}`,
  entry: 0,
  objectId: `note--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  providerMemberId: n % 3 === 0 ? 'kanto' : 'kyushu',
  access: { tlp: 'amber', recipients: [], secret: false, providerMemberId: n % 3 === 0 ? 'kanto' : 'kyushu' },
  reason: n % 5 === 0 ? 'held for moderation: content contains a phone number' : 'the collection is moderated',
  object: { type: 'note', id: `note--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, content: 'x', confidence: 0.5e1, labels: [] },
  state: 'queued',
  queuedAt: `2026-11-30T09:00:${String(n).padStart(2, '0')}.000Z`,
  updatedAt: `2026-11-30T09:00:${String(n).padStart(2, '0')}.000Z`,
  revision: 1,
  history: [{ at: '2026-11-30T09:00:00.000Z', action: 'queued' }],
  ...changes,
});

describe('DynamoModerationStore on DynamoDB Local', () => {
  it('queues once per item id, lists in queue order with filters and pages, and keeps the object exactly', async () => {
    const items = Array.from({ length: 30 }, (_, n) => itemOf(n + 1));
    await store.enqueue(items);
    await store.enqueue([itemOf(1, { reason: 'a redelivery must not replace the first' })]);

    const everything: ModerationItem[] = [];
    let after: string | undefined;
    do {
      const page = await store.list('t1', {}, { limit: 7, after });
      everything.push(...page.items);
      after = page.next;
    } while (after);
    const filtered = await store.list('t1', { collectionId: 'even', providerMemberId: 'kanto', reason: 'phone' }, { limit: 100 });

    expect(everything).toEqual(items);
    expect(filtered.items.map((i) => i.statusId)).toEqual(['s30']);
    expect((await store.list('t1', { queuedBefore: '2026-11-30T09:00:03.000Z' }, { limit: 100 })).items.map((i) => i.statusId)).toEqual([
      's1',
      's2',
    ]);
    expect((await store.list('t2', {}, { limit: 100 })).items).toEqual([]);
    expect(await store.ofProvider('t1', 'kanto')).toEqual(items.filter((i) => i.providerMemberId === 'kanto'));
  });

  it('updates only the revision a decision was made on, and moves decided items out of the open queue', async () => {
    const item = itemOf(40, { tenantId: 't3' });
    await store.enqueue([item]);
    const returned = { ...item, state: 'returned' as const, revision: 2, question: 'Which sector?' };
    const published = { ...returned, state: 'published' as const, revision: 3 };

    expect(await store.update(returned, 1)).toBe('updated');
    expect(await store.update({ ...item, state: 'rejected', revision: 2 }, 1)).toBe('stale');
    expect(await store.get('t3', item.itemId)).toEqual(returned);
    expect(await store.update(published, 2)).toBe('updated');
    expect(await store.update({ ...published, revision: 4 }, 2)).toBe('stale');
    expect(await store.get('t3', item.itemId)).toEqual(published);
    expect((await store.list('t3', {}, { limit: 10 })).items).toEqual([]);
    expect(await store.ofProvider('t3', item.providerMemberId)).toEqual([]);
  });
});
