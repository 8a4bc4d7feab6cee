import type { PipelineMessage } from '../core/pipeline/message';
import type { CollectionPolicy } from '../core/pipeline/collection-policy';
import { CollectionPolicySchema } from '../core/pipeline/collection-policy';
import { victimMatcher, type VictimMatcher, type VictimIdentifiers } from '../core/pipeline/victim-identifiers';
import type { Settlement } from '../core/taxii/status';
import type { DirectoryStore, StatusStore } from '../core/ports';
import { cached } from './cached';

/** "Kanto Power (demo)" is also written "Kanto Power"; "関東電力（デモ）" also "関東電力". */
const withoutQualifier = (name: string): string => name.replace(/\s*[（(][^）)]*[）)]\s*$/, '');

export interface PipelineDirectory {
  policyOf(tenantId: string, collectionId: string): Promise<CollectionPolicy>;
  tenantIdentityOf(tenantId: string): Promise<string>;
  victimsOf(tenantId: string): Promise<VictimMatcher>;
  settle(message: PipelineMessage, settlements: Settlement[]): Promise<void>;
}

/**
 * Directory facts the stages need for every message, cached per warm Lambda for a minute: a policy or registry
 * change reaches the pipeline within a minute, and a burst of messages costs one read, not thousands.
 */
export function pipelineDirectory(directory: DirectoryStore, statuses: StatusStore): PipelineDirectory {
  const policy = cached(async (key) => {
    const [tenantId, collectionId] = key.split('\n') as [string, string];
    const collection = await directory.getCollection(tenantId, collectionId);
    return collection?.policy ?? CollectionPolicySchema.parse({});
  });
  const identity = cached(async (tenantId) => {
    const tenant = await directory.getTenant(tenantId);
    if (!tenant) throw new Error(`Tenant ${tenantId} not found`);
    return tenant.identityId;
  });
  const victims = cached(async (tenantId) => {
    // Every member's registry: a provider may report an attack on another member, who must stay anonymous too.
    const members = await directory.listMembers(tenantId);
    const registries = await Promise.all(members.map((m) => directory.getRegistry(tenantId, m.id)));
    const identifiers: VictimIdentifiers[] = members.map((member, i) => {
      const registry = registries[i];
      return {
        memberId: member.id,
        names: [member.nameEn, member.nameJa, ...(registry?.names ?? [])].flatMap((name) => [name, withoutQualifier(name)]),
        domains: registry?.domains ?? [],
        emailDomains: registry?.emailDomains ?? [],
        ipRanges: registry?.ipRanges ?? [],
        brands: registry?.brands ?? [],
        // Not in the registry schema on this branch yet: the lead connects them when it is.
        internalHostSuffixes: [],
        referencePrefixes: [],
      };
    });
    return victimMatcher(identifiers);
  });
  return {
    policyOf: (tenantId, collectionId) => policy(`${tenantId}\n${collectionId}`),
    tenantIdentityOf: identity,
    victimsOf: victims,
    settle: (message, settlements) => statuses.settle(message.tenantId, message.statusId, settlements),
  };
}
