import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  CollectionSchema,
  MemberSchema,
  OperatorSchema,
  TenantSchema,
  UserSchema,
  type Collection,
  type Member,
  type Operator,
  type Tenant,
  type User,
} from '../../core/directory/model';
import { ApiKeySchema, type ApiKey } from '../../core/directory/api-keys';
import { GroupSchema, type Group } from '../../core/directory/groups';
import {
  listsOf,
  MemberRegistrySchema,
  RegistryProposalSchema,
  type MemberRegistry,
  type RegistryProposal,
} from '../../core/directory/registry';
import type { DirectoryStore } from '../../core/ports';
import { GrantSchema, type Grant, type Grantee } from '../../core/policy/grants';
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

  private async get(key: Record<string, string>, consistent = false): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ...(consistent ? { ConsistentRead: true } : {}) }),
    );
    return result.Item ? withoutKeys(result.Item) : undefined;
  }

  private async createOnce(item: Record<string, unknown>): Promise<'created' | 'exists'> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
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
    // Operators share the users' namespace; they are not users of any tenant.
    return item && item.kind !== 'operator' ? UserSchema.parse(item) : undefined;
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
    // Strongly consistent: a POST right after a policy PATCH must read the narrowed policy (docs/pipeline.md).
    const item = await this.get(directoryKeys.collection(tenantId, collectionId), true);
    return item && CollectionSchema.parse(item);
  }

  async grantsOfMember(tenantId: string, memberId: string): Promise<Grant[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.memberGrantPrefix(memberId));
    return items.map((item) => GrantSchema.parse(item));
  }

  async putGrant(grant: Grant): Promise<void> {
    await this.put({ ...grantKey(grant.tenantId, grant.collectionId, grant.grantee), ...grant });
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
    await this.put(this.userItem(user));
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  private async delete(key: Record<string, string>): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  private async ofMember(tenantId: string, memberId: string): Promise<Record<string, unknown>[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': directoryKeys.usersOfMember(tenantId, memberId).gsi1pk },
    });
    return items.map(withoutKeys);
  }

  async listTenants(): Promise<Tenant[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': directoryKeys.allTenants().gsi1pk },
    });
    return items.map((item) => TenantSchema.parse(withoutKeys(item)));
  }

  async putTenant(tenant: Tenant): Promise<void> {
    await this.put({ ...directoryKeys.tenant(tenant.id), gsi1pk: directoryKeys.allTenants().gsi1pk, gsi1sk: tenant.id, ...tenant });
  }

  async listMembers(tenantId: string): Promise<Member[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.memberPrefix);
    return items.map((item) => MemberSchema.parse(item));
  }

  async putMember(member: Member): Promise<void> {
    await this.put({ ...directoryKeys.member(member.tenantId, member.id), ...member });
  }

  private userItem(user: User): Record<string, unknown> {
    const byMember = directoryKeys.usersOfMember(user.tenantId, user.memberId);
    return { ...directoryKeys.user(user.username), gsi1pk: byMember.gsi1pk, gsi1sk: user.username, ...user };
  }

  createUser(user: User): Promise<'created' | 'exists'> {
    return this.createOnce(this.userItem(user));
  }

  async deleteUser(username: string): Promise<void> {
    await this.delete(directoryKeys.user(username));
  }

  async usersOfMember(tenantId: string, memberId: string): Promise<User[]> {
    const items = await this.ofMember(tenantId, memberId);
    return items.filter((item) => typeof item.passwordHash === 'string').map((item) => UserSchema.parse(item));
  }

  async getOperator(username: string): Promise<Operator | undefined> {
    const item = await this.get(directoryKeys.user(username));
    return item && item.kind === 'operator' ? OperatorSchema.parse(item) : undefined;
  }

  claimBootstrap(at: string): Promise<'created' | 'exists'> {
    return this.createOnce({ ...directoryKeys.bootstrap(), at });
  }

  createOperator(operator: Operator): Promise<'created' | 'exists'> {
    return this.createOnce({ ...directoryKeys.user(operator.username), ...operator });
  }

  async putOperator(operator: Operator): Promise<void> {
    await this.put({ ...directoryKeys.user(operator.username), ...operator });
  }

  async getApiKey(keyId: string): Promise<ApiKey | undefined> {
    const item = await this.get(directoryKeys.apiKey(keyId));
    return item && ApiKeySchema.parse(item);
  }

  private apiKeyItem(key: ApiKey): Record<string, unknown> {
    const byMember = directoryKeys.usersOfMember(key.tenantId, key.memberId);
    return { ...directoryKeys.apiKey(key.id), gsi1pk: byMember.gsi1pk, gsi1sk: directoryKeys.apiKeyOfMemberSortKey(key.id), ...key };
  }

  createApiKey(key: ApiKey): Promise<'created' | 'exists'> {
    return this.createOnce(this.apiKeyItem(key));
  }

  async putApiKey(key: ApiKey): Promise<void> {
    await this.put(this.apiKeyItem(key));
  }

  async deleteApiKey(keyId: string): Promise<void> {
    await this.delete(directoryKeys.apiKey(keyId));
  }

  async apiKeysOfMember(tenantId: string, memberId: string): Promise<ApiKey[]> {
    const items = await this.ofMember(tenantId, memberId);
    return items.filter((item) => typeof item.secretHash === 'string').map((item) => ApiKeySchema.parse(item));
  }

  async getRegistry(tenantId: string, memberId: string): Promise<MemberRegistry | undefined> {
    const item = await this.get(directoryKeys.registry(tenantId, memberId));
    return item && MemberRegistrySchema.parse(item);
  }

  async listRegistries(tenantId: string): Promise<MemberRegistry[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.registryPrefix);
    return items.map((item) => MemberRegistrySchema.parse(item));
  }

  async putRegistry(registry: MemberRegistry): Promise<void> {
    await this.put({ ...directoryKeys.registry(registry.tenantId, registry.memberId), ...registry });
  }

  async getRegistryProposal(tenantId: string, memberId: string): Promise<RegistryProposal | undefined> {
    const item = await this.get(directoryKeys.registryProposal(tenantId, memberId));
    return item && RegistryProposalSchema.parse(item);
  }

  async putRegistryProposal(proposal: RegistryProposal): Promise<void> {
    await this.put({ ...directoryKeys.registryProposal(proposal.tenantId, proposal.memberId), ...proposal });
  }

  async activateRegistryProposal(proposal: RegistryProposal): Promise<'activated' | 'replaced'> {
    const { tenantId, memberId, proposedAt } = proposal;
    const registry: MemberRegistry = { ...listsOf(proposal), tenantId, memberId };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...directoryKeys.registry(tenantId, memberId), ...registry } } },
            {
              Delete: {
                TableName: this.tableName,
                Key: directoryKeys.registryProposal(tenantId, memberId),
                ConditionExpression: 'proposedAt = :at',
                ExpressionAttributeValues: { ':at': proposedAt },
              },
            },
          ],
        }),
      );
      return 'activated';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed'))
        return 'replaced';
      throw error;
    }
  }

  async discardRegistryProposal(tenantId: string, memberId: string, proposedAt: string): Promise<'discarded' | 'replaced'> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: directoryKeys.registryProposal(tenantId, memberId),
          ConditionExpression: 'proposedAt = :at',
          ExpressionAttributeValues: { ':at': proposedAt },
        }),
      );
      return 'discarded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'replaced';
      throw error;
    }
  }

  async listGroups(tenantId: string): Promise<Group[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.groupPrefix);
    return items.map((item) => GroupSchema.parse(item));
  }

  async getGroup(tenantId: string, groupId: string): Promise<Group | undefined> {
    const item = await this.get(directoryKeys.group(tenantId, groupId));
    return item && GroupSchema.parse(item);
  }

  createGroup(group: Group): Promise<'created' | 'exists'> {
    return this.createOnce({ ...directoryKeys.group(group.tenantId, group.id), ...group });
  }

  async putGroup(group: Group): Promise<void> {
    await this.put({ ...directoryKeys.group(group.tenantId, group.id), ...group });
  }

  async deleteGroup(tenantId: string, groupId: string): Promise<void> {
    await this.delete(directoryKeys.group(tenantId, groupId));
  }

  async putCollection(collection: Collection): Promise<void> {
    await this.put({ ...directoryKeys.collection(collection.tenantId, collection.id), ...collection });
  }

  async listGrants(tenantId: string): Promise<Grant[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.grantPrefix);
    return items.map((item) => GrantSchema.parse(item));
  }

  async grantsOfGroup(tenantId: string, groupId: string): Promise<Grant[]> {
    const items = await this.queryPrefix(directoryKeys.tenant(tenantId).pk, directoryKeys.groupGrantPrefix(groupId));
    return items.map((item) => GrantSchema.parse(item));
  }

  async deleteGrant(tenantId: string, collectionId: string, grantee: Grantee): Promise<void> {
    await this.delete(grantKey(tenantId, collectionId, grantee));
  }
}

function grantKey(tenantId: string, collectionId: string, grantee: Grantee): { pk: string; sk: string } {
  return grantee.kind === 'member'
    ? directoryKeys.memberGrant(tenantId, grantee.memberId, collectionId)
    : directoryKeys.groupGrant(tenantId, grantee.groupId, collectionId);
}
