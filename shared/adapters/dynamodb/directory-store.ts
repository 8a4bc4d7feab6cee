import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  CollectionSchema,
  MemberSchema,
  TenantSchema,
  UserSchema,
  type Collection,
  type Member,
  type Tenant,
  type User,
} from '../../core/directory/model';
import type { DirectoryStore } from '../../core/ports';
import { GrantSchema, type Grant } from '../../core/policy/grants';
import { directoryKeys } from './keys';
import { queryAll } from './query-all';

/** Strips key attributes so stored items parse with the domain schemas. */
function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest;
}

export class DynamoDirectoryStore implements DirectoryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async get(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return result.Item ? withoutKeys(result.Item) : undefined;
  }

  private async createOnce(item: Record<string, unknown>): Promise<'created' | 'exists'> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const item = await this.get(directoryKeys.tenant(tenantId));
    return item && TenantSchema.parse(item);
  }

  async getMember(tenantId: string, memberId: string): Promise<Member | undefined> {
    const item = await this.get(directoryKeys.member(tenantId, memberId));
    return item && MemberSchema.parse(item);
  }

  async getUser(username: string): Promise<User | undefined> {
    const item = await this.get(directoryKeys.user(username));
    return item && UserSchema.parse(item);
  }

  private async queryPrefix(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    });
    return items.map(withoutKeys);
  }

  async listCollections(tenantId: string): Promise<Collection[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.collectionPrefix);
    return items.map((item) => CollectionSchema.parse(item));
  }

  async getCollection(tenantId: string, collectionId: string): Promise<Collection | undefined> {
    const item = await this.get(directoryKeys.collection(tenantId, collectionId));
    return item && CollectionSchema.parse(item);
  }

  async grantsOfMember(tenantId: string, memberId: string): Promise<Grant[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.memberGrantPrefix(memberId));
    return items.map((item) => GrantSchema.parse(item));
  }

  async putGrant(grant: Grant): Promise<void> {
    if (grant.grantee.kind !== 'member') throw new Error('Group grants are stored with groups');
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...directoryKeys.memberGrant(grant.tenantId, grant.grantee.memberId, grant.collectionId), ...grant },
      }),
    );
  }

  createTenant(tenant: Tenant): Promise<'created' | 'exists'> {
    return this.createOnce({ ...directoryKeys.tenant(tenant.id), gsi1pk: directoryKeys.allTenants().gsi1pk, gsi1sk: tenant.id, ...tenant });
  }

  createMember(member: Member): Promise<'created' | 'exists'> {
    return this.createOnce({ ...directoryKeys.member(member.tenantId, member.id), ...member });
  }

  createCollection(collection: Collection): Promise<'created' | 'exists'> {
    return this.createOnce({ ...directoryKeys.collection(collection.tenantId, collection.id), ...collection });
  }

  async putUser(user: User): Promise<void> {
    const byMember = directoryKeys.usersOfMember(user.tenantId, user.memberId);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...directoryKeys.user(user.username), gsi1pk: byMember.gsi1pk, gsi1sk: user.username, ...user },
      }),
    );
  }
}
