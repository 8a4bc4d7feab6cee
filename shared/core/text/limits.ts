import { z } from 'zod';

/**
 * Size limits of what users write into stored items and audit entries (docs/admin-api.md "Size limits"). DynamoDB
 * refuses an item over 400 KB, and an audit entry copies the item it records (before and after): every free-text field
 * and list a user sends is bounded here, so oversize input is a 400 naming the field and its limit, never a 500 at the
 * database. Lengths are in UTF-16 code units as JavaScript counts them (a Japanese character is one, at most 3 bytes).
 */
export const LIMITS = {
  /** Names of tenants and members, group and collection titles. */
  name: 200,
  /** A member's sector. */
  sector: 100,
  /** Descriptions of tenants, groups and collections. */
  description: 4000,
  /** An e-mail address: RFC 5321 §4.5.3.1.3 allows 256 octets for a path, 254 for the address inside it. */
  email: 254,
  /** A webhook URL. */
  url: 2048,
  /** A STIX label (subscription filter). */
  label: 256,
  /** A STIX type: STIX 2.1 §3.1 allows 3–250 characters. */
  stixType: 250,
  /** Member ids in one group. */
  groupMembers: 1000,
} as const;

/** A string of at most `max` characters, with a message that names the limit. */
export const bounded = (max: number) => z.string().max(max, `must be at most ${max} characters`);
