import type { Collection, Member, Tenant, User } from './directory/model';

/** Tenants, members, users and collections. Absent items are `undefined`, never an exception. */
export interface DirectoryStore {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  getMember(tenantId: string, memberId: string): Promise<Member | undefined>;
  getUser(username: string): Promise<User | undefined>;
  listCollections(tenantId: string): Promise<Collection[]>;
  /** Writes that must not overwrite answer 'exists' instead of throwing. */
  createTenant(tenant: Tenant): Promise<'created' | 'exists'>;
  createMember(member: Member): Promise<'created' | 'exists'>;
  createCollection(collection: Collection): Promise<'created' | 'exists'>;
  putUser(user: User): Promise<void>;
}
