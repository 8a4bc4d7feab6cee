import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the tests find third-party data. Everything but the ATT&CK corpus is in the repository, under
 * test/fixtures/ (NOTICE lists each source and licence), so a clone tests itself with nothing beside it.
 */
const ROOT = resolve(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');

/** The OASIS STIX 2.1 JSON schemas: common/, sdos/, sros/, observables/. */
export const STIX_SCHEMAS = join(FIXTURES, 'stix-2.1-schemas');
/** The OASIS STIX examples (bundles and single objects; interop/ holds profiles). */
export const STIX_EXAMPLES = join(FIXTURES, 'oasis-stix-examples');
/** MISP warning lists, one list.json per file (schema.json is their schema, not a list). */
export const MISP_WARNING_LISTS = join(FIXTURES, 'misp-warninglists');
/** MITRE CAPEC, a STIX 2.1 bundle of 2,683 objects. */
export const CAPEC_CORPUS = join(FIXTURES, 'mitre-capec', 'capec-stix21.json');

export interface OptionalCorpus {
  name: string;
  file: string;
  /** The environment variable that names another place for it. */
  variable: string;
  present: boolean;
}

/**
 * The MITRE ATT&CK Enterprise corpus (24,771 STIX 2.0 objects, 34 MB) is not in the repository: tests read it from
 * KYOYU_ATTACK_CORPUS, else from ../shared/corpus/attack-enterprise-stix20.json beside the repository.
 */
export const ATTACK_CORPUS: OptionalCorpus = optionalCorpus(
  'ATT&CK corpus',
  'KYOYU_ATTACK_CORPUS',
  join(ROOT, '..', 'shared', 'corpus', 'attack-enterprise-stix20.json'),
);

function optionalCorpus(name: string, variable: string, fallback: string): OptionalCorpus {
  const file = process.env[variable] || fallback;
  return { name, file, variable, present: existsSync(file) };
}

/**
 * `describe` when the corpus is there. Otherwise the block is skipped under a title that says which corpus is
 * missing and where it was looked for, and a warning says the same in the test output.
 */
export function describeWithCorpus(corpus: OptionalCorpus, name: string, fn: () => void): void {
  if (corpus.present) {
    describe(name, fn);
    return;
  }
  const reason = `SKIPPED: the ${corpus.name} is not at ${corpus.file} (${corpus.variable} names another place; docs/testing.md)`;
  console.warn(`${name}: ${reason}`);
  describe.skip(`${name} [${reason}]`, fn);
}
