/** Every key layout of the directory table, in one place. */
export const directoryKeys = {
  tenant: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'TENANT' }),
  allTenants: () => ({ gsi1pk: 'TENANTS' }),
  member: (tenantId: string, memberId: string) => ({ pk: `TENANT#${tenantId}`, sk: `MEMBER#${memberId}` }),
  /** Usernames are global: Basic auth on /taxii2/ arrives before any tenant is known. */
  user: (username: string) => ({ pk: `USER#${username.toLowerCase()}`, sk: 'USER' }),
  usersOfMember: (tenantId: string, memberId: string) => ({ gsi1pk: `TENANT#${tenantId}#MEMBER#${memberId}` }),
  collection: (tenantId: string, collectionId: string) => ({ pk: `TENANT#${tenantId}`, sk: `COLLECTION#${collectionId}` }),
  collectionPrefix: 'COLLECTION#',
};
