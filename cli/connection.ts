/** The endpoint and credentials of a run: the options over the profile, secrets from wherever secrets.ts finds them. */
import { CliError } from './errors';
import { createApiClient, type ApiClient } from './http-client';
import type { Values } from './options';
import { readProfiles, type Profile } from './profiles';
import { MAX_RETRIES } from './retry-after';
import { processTerminal, promptHidden, secretsOf, type Terminal } from './secrets';

export interface Connection {
  endpoint: string;
  profile: Profile;
  client: ApiClient;
  /** The admin API (JSON); a refusal throws ApiError. */
  api: <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;
  /** TAXII 2.1 (its media type); a refusal throws ApiError. */
  taxii: <T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType?: string) => Promise<T>;
}

export const basicAuthorization = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export async function connect(values: Values, terminal: Terminal = processTerminal()): Promise<Connection> {
  const secrets = await secretsOf(values);
  const file = readProfiles();
  const name = values.profile ?? process.env.KYOYU_PROFILE ?? file.current ?? 'default';
  const stored = file.profiles[name];
  const endpoint = values.endpoint ?? stored?.endpoint;
  if (!endpoint) throw new CliError(`No endpoint: run \`kyoyu profile set ${name} --endpoint URL --user NAME\` or pass --endpoint`);
  const profile: Profile = {
    endpoint,
    username: values.user ?? stored?.username,
    password: secrets.password ?? stored?.password,
    key: secrets.key ?? stored?.key,
    tenant: values.tenant ?? stored?.tenant,
  };
  // A key given for this run wins; a stored key only when no user was named for this run.
  const key = secrets.key ?? (values.user ? undefined : profile.key);
  let authorization: string;
  if (key) authorization = `Bearer ${key}`;
  else if (profile.username && profile.password !== undefined) authorization = basicAuthorization(profile.username, profile.password);
  else if (profile.username && terminal.input.isTTY) {
    authorization = basicAuthorization(profile.username, await promptHidden(`Password for ${profile.username} at ${endpoint}: `, terminal));
  } else {
    throw new CliError(
      `Profile ${name} has no credentials: give a password (KYOYU_PASSWORD, --password-stdin, or a prompt in a terminal) ` +
        'with --user, or a key (KYOYU_API_KEY, --key-stdin)',
    );
  }
  const client = createApiClient({
    endpoint,
    authorization,
    retry: {
      onWait: (method, path, seconds, retry) =>
        process.stderr.write(`kyoyu: ${method} ${path}: 429 Too Many Requests; retry ${retry} of ${MAX_RETRIES} in ${seconds} s\n`),
    },
  });
  return {
    endpoint: client.endpoint,
    profile,
    client,
    api: (method, path, body) => client.call(method, path, { body }),
    taxii: (method, path, body, contentType) => client.call(method, path, { body, taxii: true, contentType }),
  };
}
