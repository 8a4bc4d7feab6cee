import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RoleSchema, StatusSchema, TenantIdSchema } from './model';

/**
 * API keys: machine credentials of a member, with a role like a user's. A key is `kyk_<16 hex>_<secret>`; its
 * first part is the key id (public, the lookup key), the secret is stored only as a slow salted hash.
 * TAXII-CLIENTS #3, #4: accepted as `Bearer <key>`, `Token <key>` and as the HTTP Basic password.
 */
export const API_KEY_ID_PATTERN = /^kyk_[0-9a-f]{16}$/;
const API_KEY_PATTERN = /^(kyk_[0-9a-f]{16})_([A-Za-z0-9_-]{32})$/;

export const ApiKeySchema = z.object({
  id: z.string().regex(API_KEY_ID_PATTERN),
  tenantId: TenantIdSchema,
  memberId: z.string().min(1),
  name: z.string().min(1).max(200),
  role: RoleSchema,
  secretHash: z.string().min(1),
  status: StatusSchema.default('active'),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().optional(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const newApiKeyId = (): string => `kyk_${randomBytes(8).toString('hex')}`;

/** A fresh secret for a key id; the whole string is the key shown once to its owner. */
export function newApiKeySecret(keyId: string): { key: string; secret: string } {
  const secret = randomBytes(24).toString('base64url');
  return { key: `${keyId}_${secret}`, secret };
}

/** The key id and secret of something shaped like an API key; undefined for anything else (a password). */
export function parseApiKey(value: string): { keyId: string; secret: string } | undefined {
  const match = API_KEY_PATTERN.exec(value.trim());
  return match?.[1] && match[2] ? { keyId: match[1], secret: match[2] } : undefined;
}
