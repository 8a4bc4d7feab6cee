/** Every option of every command, parsed once by node:util parseArgs (strict: an unknown option is an error). */
import { parseArgs } from 'node:util';
import { CliError } from './errors';

export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  key: { type: 'string' },
  'key-stdin': { type: 'boolean' },
  tenant: { type: 'string' },
  member: { type: 'string', multiple: true },
  group: { type: 'string' },
  collection: { type: 'string' },
  'name-en': { type: 'string' },
  'name-ja': { type: 'string' },
  name: { type: 'string' },
  description: { type: 'string' },
  sector: { type: 'string' },
  tier: { type: 'string' },
  'secret-opt-in': { type: 'boolean' },
  role: { type: 'string' },
  status: { type: 'string' },
  expires: { type: 'string' },
  title: { type: 'string' },
  kind: { type: 'string' },
  'default-tlp': { type: 'string' },
  'tlp-ceiling': { type: 'string' },
  attribution: { type: 'string' },
  publication: { type: 'string' },
  'min-confidence': { type: 'string' },
  'allowed-types': { type: 'string' },
  'custom-properties': { type: 'string' },
  read: { type: 'boolean' },
  write: { type: 'boolean' },
  clearance: { type: 'string' },
  samples: { type: 'boolean' },
  names: { type: 'string' },
  domains: { type: 'string' },
  'email-domains': { type: 'string' },
  'ip-ranges': { type: 'string' },
  brands: { type: 'string' },
  'internal-host-suffixes': { type: 'string' },
  'reference-prefixes': { type: 'string' },
  'proposed-at': { type: 'string' },
  since: { type: 'string' },
  /** The audit chain: main (what members and admins did) or auth (refused credentials). */
  log: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  wait: { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'storage-quota-bytes': { type: 'string' },
  tlp: { type: 'string' },
  'media-type': { type: 'string' },
  malware: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  provider: { type: 'string' },
  reason: { type: 'string' },
  question: { type: 'string' },
  answer: { type: 'string' },
  'queued-before': { type: 'string' },
  next: { type: 'string' },
  approve: { type: 'boolean' },
  file: { type: 'string' },
  object: { type: 'string' },
  details: { type: 'string' },
  note: { type: 'string' },
  subject: { type: 'string' },
  text: { type: 'string' },
  close: { type: 'boolean' },
  revoke: { type: 'boolean' },
  dismiss: { type: 'boolean' },
  format: { type: 'string' },
  include: { type: 'string' },
  // Alerts (issue #16).
  alert: { type: 'string' },
  'ack-minutes': { type: 'string' },
  url: { type: 'string' },
  email: { type: 'string' },
  language: { type: 'string' },
  payload: { type: 'string' },
  collections: { type: 'string' },
  types: { type: 'string' },
  labels: { type: 'string' },
  'urgent-only': { type: 'boolean' },
  'plain-text-above-clear': { type: 'boolean' },
  escalation: { type: 'boolean' },
  finish: { type: 'boolean' },
} as const;

/** Options every command takes; help lists them once rather than on every usage line. */
export const COMMON_OPTIONS = ['help', 'json', 'profile', 'endpoint', 'user', 'password', 'password-stdin', 'key', 'key-stdin', 'tenant'];

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
export type Values = Parsed['values'];

/**
 * Joins each string option to the value after it (`--password -x1` → `--password=-x1`): a generated password may
 * start with "-", which parseArgs would otherwise refuse as ambiguous.
 */
export function attachOptionValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith('--') ? arg.slice(2) : arg === '-o' ? 'output' : undefined;
    const option = name !== undefined && !name.includes('=') ? (OPTIONS as Record<string, { type: string }>)[name] : undefined;
    if (option?.type === 'string' && i + 1 < argv.length) out.push(`--${name}=${argv[++i]!}`);
    else out.push(arg);
  }
  return out;
}

export function parseCommandLine(argv: readonly string[]): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: attachOptionValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
