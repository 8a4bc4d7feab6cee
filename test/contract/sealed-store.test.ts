import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoSealedStore } from '../../shared/adapters/dynamodb/originals-store';
import { originalsKeys, versionSortKey } from '../../shared/adapters/dynamodb/keys';
import { Sealer } from '../../shared/adapters/dynamodb/sealed';
import type { KeptOriginalRecord } from '../../shared/core/pipeline/anonymize';
import type { AccessScope, StixObject } from '../../shared/core/taxii/model';
import { freshTables } from '../support/tables';

const OLD_SECRET = 'o'.repeat(48);
const NEW_SECRET = 'n'.repeat(48);
const ACCESS = { providerMemberId: 'kanto-power' } as unknown as AccessScope;

let documentClient: DynamoDBDocumentClient;
let table: string;
let close: () => void;
beforeAll(async () => {
  const t = await freshTables('sealed');
  documentClient = t.documentClient;
  table = t.tables.objects!;
  close = t.close;
});
afterAll(() => close());

const store = (secrets: string[]) => new DynamoSealedStore(documentClient, table, async () => new Sealer(secrets));

function original(objectId: string, providerMemberId: string, name: string): KeptOriginalRecord {
  const object = { type: 'indicator', id: objectId, spec_version: '2.1', name } as unknown as StixObject;
  return {
    tenantId: 'ics-isac',
    collectionId: 'c1',
    objectId,
    version: '2026-01-01T00:00:00.000Z',
    providerMemberId,
    access: ACCESS,
    original: object,
  };
}

const keyOf = (o: KeptOriginalRecord) => ({ pk: originalsKeys.pk(o.tenantId, o.collectionId, o.objectId), sk: versionSortKey(o.version) });

async function sealedBlobOf(o: KeptOriginalRecord): Promise<string> {
  const { Item } = await documentClient.send(new GetCommand({ TableName: table, Key: keyOf(o) }));
  return Item!.sealed as string;
}

describe('DynamoSealedStore on DynamoDB Local', () => {
  it("refuses to open a provider's sealed original copied into another object's item", async () => {
    const victim = original('indicator--00000000-0000-4000-8000-000000000001', 'kanto-power', 'kanto-hidden.example');
    const thief = original('indicator--00000000-0000-4000-8000-000000000002', 'control-vendor', 'decoy');
    await store([NEW_SECRET]).keep([victim, thief]);

    await documentClient.send(
      new UpdateCommand({
        TableName: table,
        Key: keyOf(thief),
        UpdateExpression: 'SET sealed = :s',
        ExpressionAttributeValues: { ':s': await sealedBlobOf(victim) },
      }),
    );

    await expect(store([NEW_SECRET]).originalsOf('ics-isac', 'c1', thief.objectId)).rejects.toThrow(/does not open/);
    expect((await store([NEW_SECRET]).originalsOf('ics-isac', 'c1', victim.objectId)).map((o) => o.original)).toEqual([victim.original]);
  });

  it('refuses to open an original whose item was rewritten to name another owner', async () => {
    const kept = original('indicator--00000000-0000-4000-8000-000000000003', 'kanto-power', 'kanto-hidden.example');
    await store([NEW_SECRET]).keep([kept]);

    await documentClient.send(
      new UpdateCommand({
        TableName: table,
        Key: keyOf(kept),
        UpdateExpression: 'SET providerMemberId = :m',
        ExpressionAttributeValues: { ':m': 'control-vendor' },
      }),
    );

    await expect(store([NEW_SECRET]).originalsOf('ics-isac', 'c1', kept.objectId)).rejects.toThrow(/does not open/);
  });

  it('opens originals sealed before a rotation while the old secret is still listed, and not after', async () => {
    const kept = original('indicator--00000000-0000-4000-8000-000000000004', 'kanto-power', 'before rotation');
    await store([OLD_SECRET]).keep([kept]);

    const rotated = store([NEW_SECRET, OLD_SECRET]);

    expect((await rotated.originalsOf('ics-isac', 'c1', kept.objectId)).map((o) => o.original)).toEqual([kept.original]);
    await expect(store([NEW_SECRET]).originalsOf('ics-isac', 'c1', kept.objectId)).rejects.toThrow(/does not open/);
  });
});
