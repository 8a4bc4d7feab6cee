import { DynamoWithheldRegistry } from '../../shared/adapters/dynamodb/withheld-registry';
import { freshTables } from '../support/tables';

let registry: DynamoWithheldRegistry;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('withheld');
  registry = new DynamoWithheldRegistry(t.documentClient, t.tables.objects!);
  close = t.close;
});
afterAll(() => close());

describe('DynamoWithheldRegistry on DynamoDB Local', () => {
  it('answers exactly the recorded ids among many asked, per tenant, beyond one BatchGet', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `ipv4-addr--00000000-0000-5000-8000-${String(i).padStart(12, '0')}`);
    await registry.record(
      't1',
      ids.filter((_, i) => i % 2 === 0),
    );
    await registry.record('t1', [ids[0]!]);

    expect(await registry.among('t1', ids)).toEqual(new Set(ids.filter((_, i) => i % 2 === 0)));
    expect(await registry.among('t2', ids)).toEqual(new Set());
    expect(await registry.among('t1', [])).toEqual(new Set());
    // A custom "_ref" may hold an empty string; it is no key, and no identifier either.
    expect(await registry.among('t1', ['', ids[0]!])).toEqual(new Set([ids[0]]));
  });
});
