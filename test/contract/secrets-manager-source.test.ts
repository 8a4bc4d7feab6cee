import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ensureSecretsFile, startLocalSecretsManager, type LocalSecretsManager } from '../../infra/local/secrets-manager';
import { SecretsManagerSecretSource } from '../../shared/adapters/secrets-manager/secret-source';
import { ConfigurationError } from '../../shared/core/errors';
import { secrets } from '../../infra/topology';

const CURSOR = 'c'.repeat(48);
const ROTATED = `${'r'.repeat(48)},${CURSOR}`;

let dir: string;
let file: string;
let local: LocalSecretsManager;
let client: SecretsManagerClient;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyoyu-secrets-test-'));
  file = join(dir, 'secrets.json');
  ensureSecretsFile(file, { cursor: CURSOR });
  local = await startLocalSecretsManager({ file, prefix: 'contract' });
  client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: local.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client.destroy();
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('SecretsManagerSecretSource through the SDK, on the local Secrets Manager', () => {
  it('reads the current value of a secret by the id the handlers are given', async () => {
    const source = new SecretsManagerSecretSource(client);

    expect(await source.read(local.ids.cursor)).toBe(CURSOR);
    expect((await source.read(local.ids.sealing)).length).toBeGreaterThanOrEqual(48);
  });

  it('reads a rotated value as soon as it is stored', async () => {
    const source = new SecretsManagerSecretSource(client);
    const values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    writeFileSync(file, JSON.stringify({ ...values, cursor: ROTATED }), { mode: 0o600 });

    expect(await source.read(local.ids.cursor)).toBe(ROTATED);
  });

  it('turns a missing secret into a ConfigurationError that names it and says what to check', async () => {
    const source = new SecretsManagerSecretSource(client);

    const error = await source.read('contract/no-such-secret').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(
      /contract\/no-such-secret cannot be read \(ResourceNotFoundException\).*granted it in infra\/topology\.ts/,
    );
  });

  it('keeps the file readable by its owner only, and a value for every secret of the topology', () => {
    writeFileSync(file, JSON.stringify({ cursor: CURSOR }), { mode: 0o644 });

    ensureSecretsFile(file);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object).sort()).toEqual(Object.keys(secrets).sort());
    expect((JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).cursor).toBe(CURSOR);
  });
});
