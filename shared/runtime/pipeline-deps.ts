import type { PipelineMessage } from '../core/pipeline/message';
import type { Publication } from '../core/pipeline/commit';
import type { CollectionPolicy } from '../core/pipeline/collection-policy';
import { CollectionPolicySchema, SETTINGS_CACHE_MS } from '../core/pipeline/collection-policy';
import { victimMatcher, type VictimMatcher, type VictimIdentifiers } from '../core/pipeline/victim-identifiers';
import type { Settlement } from '../core/taxii/status';
import type { DirectoryStore, StatusStore } from '../core/ports';
import { cached } from './cached';
import type { Container } from './composition-root';
import { releaseUnpublished } from '../core/pipeline/dedupe';
import { samenessOf } from '../core/pipeline/observables';
import type { StixObject, AccessScope } from '../core/taxii/model';

/** "Kanto Power (demo)" is also written "Kanto Power"; "関東電力（デモ）" also "関東電力". */
const withoutQualifier = (name: string): string => name.replace(/\s*[（(][^）)]*[）)]\s*$/, '');

export interface PipelineDirectory {
  policyOf(tenantId: string, collectionId: string): Promise<CollectionPolicy>;
  publicationOf(tenantId: string, collectionId: string): Promise<Publication>;
  tenantIdentityOf(tenantId: string): Promise<string>;
  victimsOf(tenantId: string): Promise<VictimMatcher>;
  settle(message: PipelineMessage, settlements: Settlement[]): Promise<void>;
}

/**
 * Directory facts the stages need for every message. The tenant identity is cached per warm Lambda for a minute (a
 * burst of messages costs one read); registries are not (see below). Policies are cached too, but a stage reads
 * them from here only for a message that carries none (PipelineMessage `settings`, read by its POST) and for the
 * alert trigger: what a POST publishes follows the policy in force when it was accepted.
 */
export function pipelineDirectory(directory: DirectoryStore, statuses: () => StatusStore): PipelineDirectory {
  const collection = cached(async (key) => {
    const [tenantId, collectionId] = key.split('\n') as [string, string];
    const found = await directory.getCollection(tenantId, collectionId);
    return { policy: found?.policy ?? CollectionPolicySchema.parse({}), publication: found?.publication ?? 'auto' };
  }, SETTINGS_CACHE_MS);
  const identity = cached(async (tenantId) => {
    const tenant = await directory.getTenant(tenantId);
    if (!tenant) throw new Error(`Tenant ${tenantId} not found`);
    return tenant.identityId;
  });
  // Read afresh for every message, never cached: a member that has just registered a domain must not leak it from a
  // submission accepted after the change (two queries: members for their names, registries for the rest).
  const victims = async (tenantId: string): Promise<VictimMatcher> => {
    // Every member's registry: a provider may report an attack on another member, who must stay anonymous too.
    const [members, registries] = await Promise.all([directory.listMembers(tenantId), directory.listRegistries(tenantId)]);
    const registryOf = new Map(registries.map((r) => [r.memberId, r]));
    const identifiers: VictimIdentifiers[] = members.map((member) => {
      const registry = registryOf.get(member.id);
      return {
        memberId: member.id,
        names: [member.nameEn, member.nameJa, ...(registry?.names ?? [])].flatMap((name) => [name, withoutQualifier(name)]),
        domains: registry?.domains ?? [],
        emailDomains: registry?.emailDomains ?? [],
        ipRanges: registry?.ipRanges ?? [],
        brands: registry?.brands ?? [],
        internalHostSuffixes: registry?.internalHostSuffixes ?? [],
        referencePrefixes: registry?.referencePrefixes ?? [],
      };
    });
    return victimMatcher(identifiers);
  };
  return {
    policyOf: async (tenantId, collectionId) => (await collection(`${tenantId}\n${collectionId}`)).policy,
    publicationOf: async (tenantId, collectionId) => {
      const { policy, publication } = await collection(`${tenantId}\n${collectionId}`);
      return { publication, fourEyes: policy.fourEyes, providerReview: policy.providerReview };
    },
    tenantIdentityOf: identity,
    victimsOf: victims,
    settle: (message, settlements) => statuses().settle(message.tenantId, message.statusId, settlements),
  };
}

/** Frees the dedupe keys of items that will never be published (anonymize's withheld, moderation's rejected). */
export const corroborationRelease =
  (c: Container) =>
  (tenantId: string, collectionId: string, items: ReadonlyArray<{ object: StixObject; access: AccessScope }>): Promise<void> =>
    releaseUnpublished(tenantId, collectionId, items, {
      corroboration: c.corroboration,
      samenessOf,
      isPublished: (t, col, id) => c.objects.hasVersions(t, col, id),
    });
