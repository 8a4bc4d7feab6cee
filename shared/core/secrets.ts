import { ConfigurationError } from './errors';

/**
 * The platform's secrets (infra/topology.ts `secrets`): each is a list, newest first, stored as one comma-separated
 * value. The first signs or seals, every one verifies or opens, so a new value can be put in front while tokens and
 * records made with the older ones still work (docs/operations.md "Operating").
 */

/** The shortest secret accepted: 256 bits of base64 or hex-ish text at the very least. */
export const MIN_SECRET_CHARS = 32;

/** A secret's value as its list, newest first. The error names the secret, never its value. */
export function parseSecretList(secretId: string, value: string): string[] {
  const secrets = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) throw new ConfigurationError(`Secret ${secretId} is empty`);
  const short = secrets.findIndex((s) => s.length < MIN_SECRET_CHARS);
  if (short >= 0)
    throw new ConfigurationError(
      `Secret ${secretId}: value ${short + 1} of ${secrets.length} is shorter than ${MIN_SECRET_CHARS} characters`,
    );
  return secrets;
}
