import { randomUUID } from 'node:crypto';
import { generatePassword, verifyPassword } from '../../shared/core/auth/passwords';
import type { OperatorPrincipal, Role } from '../../shared/core/directory/model';
import type { Tlp } from '../../shared/core/taxii/model';
import type { AuditMac, AuditStore, DirectoryStore } from '../../shared/core/ports';
import { uuidV5 } from '../../shared/core/stix/uuid';
import type { AdminDeps } from '../../shared/core/admin/deps';
import { createTenant } from '../../shared/core/admin/tenants';
import { createCollection } from '../../shared/core/admin/collections';
import { createMember } from '../../shared/core/admin/members';
import { putGrant } from '../../shared/core/admin/grants';
import { createUser, ensureOperator, rotatePassword } from '../../shared/core/admin/credentials';

/** What `npm start` prints and writes to .local/demo.json. */
export interface DemoDescription {
  discovery: string;
  tenants: Array<{
    id: string;
    api_root: string;
    collections: Array<{ id: string; title: string }>;
    members: Array<{ id: string; name: string; users: Array<{ username: string; password: string; role: Role }> }>;
  }>;
  /** The platform operator (admin API: creates, suspends and deletes tenants). */
  operator?: { username: string; password: string };
}

/** The seed acts as a platform operator through the admin use cases, so its changes are audited like any other. */
const SEED_ACTOR: OperatorPrincipal = { role: 'operator', username: 'demo-seed' };
const DEMO_OPERATOR = 'kyoyu-operator';

// Deterministic ids: a second `npm start` finds the same tenants, collections and identities.
const DEMO_NAMESPACE = '6f1c3b9e-4a47-5d0b-9a51-0b2c6c7a1d10';

interface DemoMember {
  id: string;
  nameEn: string;
  nameJa: string;
  sector: string;
  secretOptIn?: boolean;
  user: { username: string; role: Role };
  /** Per collection (by position in the tenant's list): what the member may do and up to which TLP it reads. */
  grants: Array<{ read: boolean; write: boolean; clearance: Tlp }>;
}

const FULL = { read: true, write: true, clearance: 'amber+strict' as const };
const READ_AMBER = { read: true, write: false, clearance: 'amber' as const };
const READ_GREEN = { read: true, write: false, clearance: 'green' as const };

interface DemoTenant {
  id: string;
  nameEn: string;
  nameJa: string;
  description: string;
  members: DemoMember[];
  collections: Array<{ title: string; description: string; defaultTlp: Tlp }>;
}

const DEMO_TENANTS: DemoTenant[] = [
  {
    id: 'ics-isac',
    nameEn: 'ICS ISAC (demo)',
    nameJa: '制御システムISAC（デモ）',
    description: 'Power, gas and water operators sharing attacks on control systems',
    members: [
      {
        id: 'secretariat',
        nameEn: 'ICS ISAC secretariat',
        nameJa: '制御システムISAC事務局',
        sector: 'isac',
        user: { username: 'ics-admin', role: 'tenant-admin' },
        grants: [FULL, FULL],
      },
      {
        id: 'kanto-power',
        nameEn: 'Kanto Power (demo)',
        nameJa: '関東電力（デモ）',
        sector: 'energy',
        user: { username: 'ics-provider', role: 'analyst' },
        grants: [FULL, READ_AMBER],
      },
      {
        id: 'hokuriku-water',
        nameEn: 'Hokuriku Water Works (demo)',
        nameJa: '北陸水道（デモ）',
        sector: 'water',
        secretOptIn: true,
        user: { username: 'ics-consumer', role: 'analyst' },
        grants: [{ read: true, write: true, clearance: 'red' }, READ_AMBER],
      },
      {
        id: 'control-vendor',
        nameEn: 'Control Systems Vendor (demo)',
        nameJa: '制御機器ベンダー（デモ）',
        sector: 'manufacturing',
        user: { username: 'ics-reader', role: 'reader' },
        grants: [READ_GREEN, READ_GREEN],
      },
    ],
    collections: [
      {
        title: 'ICS indicators',
        description: 'Indicators and observables shared by members; passes the full pipeline',
        defaultTlp: 'amber',
      },
      { title: 'Urgent alerts', description: '注意喚起: urgent warnings pushed to subscribers', defaultTlp: 'green' },
    ],
  },
  {
    id: 'fin-isac',
    nameEn: 'Financial ISAC (demo)',
    nameJa: '金融ISAC（デモ）',
    description: 'Banks, securities and insurers sharing fraud and intrusion intelligence',
    members: [
      {
        id: 'secretariat',
        nameEn: 'Financial ISAC secretariat',
        nameJa: '金融ISAC事務局',
        sector: 'isac',
        user: { username: 'fin-admin', role: 'tenant-admin' },
        grants: [FULL, FULL],
      },
      {
        id: 'sakura-bank',
        nameEn: 'Sakura Bank (demo)',
        nameJa: 'さくら銀行（デモ）',
        sector: 'banking',
        user: { username: 'fin-provider', role: 'analyst' },
        grants: [FULL, READ_AMBER],
      },
      {
        id: 'minato-securities',
        nameEn: 'Minato Securities (demo)',
        nameJa: '港証券（デモ）',
        sector: 'securities',
        secretOptIn: true,
        user: { username: 'fin-consumer', role: 'analyst' },
        grants: [{ read: true, write: true, clearance: 'red' }, READ_AMBER],
      },
      {
        id: 'regional-credit',
        nameEn: 'Regional Credit Union (demo)',
        nameJa: '地域信用組合（デモ）',
        sector: 'banking',
        user: { username: 'fin-reader', role: 'reader' },
        grants: [READ_GREEN, READ_GREEN],
      },
    ],
    collections: [
      {
        title: 'Financial indicators',
        description: 'Phishing, fraud and intrusion indicators; passes the full pipeline',
        defaultTlp: 'amber',
      },
      { title: 'Urgent alerts', description: '注意喚起: urgent warnings pushed to subscribers', defaultTlp: 'green' },
    ],
  },
];

async function ensureUser(
  deps: AdminDeps,
  tenantId: string,
  memberId: string,
  user: { username: string; role: Role },
  previousPassword: string | undefined,
): Promise<string> {
  const existing = await deps.directory.getUser(user.username);
  if (existing && previousPassword && (await verifyPassword(previousPassword, existing.passwordHash))) return previousPassword;
  // New, or its password was lost with demo.json: issue a fresh one rather than keep an unknown secret.
  if (existing) return (await rotatePassword(SEED_ACTOR, tenantId, memberId, user.username, {}, deps)).password;
  return (await createUser(SEED_ACTOR, tenantId, memberId, { username: user.username, role: user.role }, deps)).password;
}

async function ensureDemoOperator(
  directory: DirectoryStore,
  previousPassword: string | undefined,
): Promise<{ username: string; password: string }> {
  const existing = await directory.getOperator(DEMO_OPERATOR);
  if (existing && previousPassword && (await verifyPassword(previousPassword, existing.passwordHash)))
    return { username: DEMO_OPERATOR, password: previousPassword };
  const password = generatePassword();
  await ensureOperator(DEMO_OPERATOR, password, { directory });
  return { username: DEMO_OPERATOR, password };
}

/** Creates the demo tenants once; later runs reuse them and the passwords in `previous`. Idempotent. */
export async function seedDemo(
  stores: { directory: DirectoryStore; audit: AuditStore; mac: AuditMac },
  gatewayUrl: string,
  previous: DemoDescription | undefined,
): Promise<DemoDescription> {
  const { directory } = stores;
  const deps: AdminDeps = { ...stores, now: Date.now, newId: randomUUID };
  const previousPasswords = new Map(
    (previous?.tenants ?? []).flatMap((t) => t.members.flatMap((m) => m.users.map((u) => [u.username, u.password] as const))),
  );
  const description: DemoDescription = { discovery: `${gatewayUrl}/taxii2/`, tenants: [] };
  for (const tenant of DEMO_TENANTS) {
    if (!(await directory.getTenant(tenant.id))) {
      const identityId = `identity--${uuidV5(`tenant/${tenant.id}`, DEMO_NAMESPACE)}`;
      await createTenant(
        SEED_ACTOR,
        { id: tenant.id, nameEn: tenant.nameEn, nameJa: tenant.nameJa, description: tenant.description, identityId },
        deps,
      );
    }
    const collections = [];
    for (const collection of tenant.collections) {
      const id = uuidV5(`collection/${tenant.id}/${collection.title}`, DEMO_NAMESPACE);
      if (!(await directory.getCollection(tenant.id, id))) {
        const { title, description, defaultTlp } = collection;
        await createCollection(SEED_ACTOR, tenant.id, { title, description, defaultTlp }, { ...deps, newId: () => id });
      }
      collections.push({ id, title: collection.title });
    }
    const members = [];
    for (const member of tenant.members) {
      if (!(await directory.getMember(tenant.id, member.id))) {
        const { id, nameEn, nameJa, sector } = member;
        await createMember(
          SEED_ACTOR,
          tenant.id,
          { id, nameEn, nameJa, sector, tier: 0, status: 'active', secretOptIn: member.secretOptIn ?? false },
          deps,
        );
      }
      for (const [i, grant] of member.grants.entries()) {
        await putGrant(
          SEED_ACTOR,
          tenant.id,
          { collectionId: collections[i]!.id, grantee: { kind: 'member', memberId: member.id }, ...grant },
          deps,
        );
      }
      const password = await ensureUser(deps, tenant.id, member.id, member.user, previousPasswords.get(member.user.username));
      members.push({ id: member.id, name: member.nameEn, users: [{ username: member.user.username, password, role: member.user.role }] });
    }
    description.tenants.push({ id: tenant.id, api_root: `${gatewayUrl}/${tenant.id}/`, collections, members });
  }
  description.operator = await ensureDemoOperator(directory, previous?.operator?.password);
  return description;
}
