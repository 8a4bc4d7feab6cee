import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { secrets as SECRETS, type SecretName } from '../topology';

/**
 * Secrets Manager for the local platform: GetSecretValue over the AWS JSON protocol, answered from a file of mode 600.
 * Handlers get what they get on AWS — the secret's id in SECRET_ID_<NAME>, and an endpoint the SDK client is pointed
 * at as for every other service — and read it with the same adapter (shared/adapters/secrets-manager), so the
 * cold-start read and its errors are exercised on every `npm start` and integration test, not only on AWS. No
 * emulator for Secrets Manager is installed, and GetSecretValue is the only call the platform makes, hence this.
 *
 * The file maps each topology secret's name to its value (a comma-separated list, newest first). It is read on every
 * call: editing it is how a local rotation is done, and it reaches the handlers as a new value reaches Lambda
 * functions, after their refresh period (shared/runtime/secrets.ts).
 */

export type SecretValues = Partial<Record<SecretName, string>>;

export interface LocalSecretsManager {
  endpoint: string;
  /** The id each secret is asked for by (its name on this platform). */
  ids: Record<SecretName, string>;
  stop(): Promise<void>;
}

const secretNames = Object.keys(SECRETS) as SecretName[];

const generated = (name: SecretName): string => randomBytes(Math.max(48, SECRETS[name].minLength)).toString('base64url');

/**
 * Makes sure `file` holds a value for every secret of the topology, generating the missing ones (or taking them from
 * `initial`), readable by its owner only. Values already in the file are kept: tokens and sealed records outlive a
 * restart.
 */
export function ensureSecretsFile(file: string, initial: SecretValues = {}): void {
  const current = readSecretsFile(file);
  const complete: SecretValues = { ...current };
  for (const name of secretNames) complete[name] ??= initial[name] ?? generated(name);
  if (!existsSync(file) || secretNames.some((name) => current[name] === undefined)) {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(complete, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  // A file created by hand, or by an older version, may be readable by others.
  chmodSync(file, 0o600);
}

function readSecretsFile(file: string): SecretValues {
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file} must hold a JSON object of secret name → value`);
  return parsed as SecretValues;
}

export async function startLocalSecretsManager(options: { file: string; prefix: string }): Promise<LocalSecretsManager> {
  const ids = Object.fromEntries(secretNames.map((name) => [name, `${options.prefix}/${name}`])) as Record<SecretName, string>;
  const nameOf = new Map(secretNames.map((name) => [ids[name], name]));

  const answer = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
    response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}) });
    response.end(JSON.stringify(body));
  };
  const fail = (response: ServerResponse, type: string, message: string) => answer(response, 400, { __type: type, message }, type);

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
          return fail(
            response,
            'UnknownOperationException',
            `The local Secrets Manager answers GetSecretValue only, not ${String(request.headers['x-amz-target'])}`,
          );
        }
        const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: string };
        const name = SecretId === undefined ? undefined : nameOf.get(SecretId);
        const value = name === undefined ? undefined : readSecretsFile(options.file)[name];
        if (name === undefined || value === undefined)
          return fail(response, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
        answer(response, 200, {
          ARN: `arn:aws:secretsmanager:local:000000000000:secret:${SecretId}`,
          Name: SecretId,
          SecretString: value,
          VersionStages: ['AWSCURRENT'],
        });
      } catch (error) {
        answer(
          response,
          500,
          { __type: 'InternalServiceError', message: error instanceof Error ? error.message : String(error) },
          'InternalServiceError',
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    ids,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}
