/** `kyoyu profile`: named endpoints and credentials, kept in the profile file (profiles.ts). */
import { arg, defined, type CommandGroup } from '../command';
import { CliError } from '../errors';
import { print } from '../output';
import { configPath, readProfiles, writeProfiles, type Profile } from '../profiles';
import { processTerminal, promptHidden, secretsOf } from '../secrets';

export const profileCommands: CommandGroup = {
  set: {
    usage: 'profile set NAME --endpoint URL (--user NAME [--password-stdin] | --key-stdin) [--tenant ID]',
    help:
      'Store an endpoint and credentials under NAME and make it the current profile. The password is asked for in a terminal ' +
      '(no echo), or read from KYOYU_PASSWORD or standard input (--password-stdin); a key from KYOYU_API_KEY or --key-stdin. ' +
      '--password and --key still work but leave the secret in shell history and `ps`.',
    run: async (ctx) => {
      const name = arg(ctx, 0, 'profile name');
      const file = readProfiles();
      const v = ctx.values;
      const given = await secretsOf(v, process.stdin, {});
      const previous = file.profiles[name];
      // The environment's secrets are stored only for the identity being set, so a KYOYU_API_KEY exported for
      // other runs does not slip into a profile that names a user, nor a password into one that changes its endpoint.
      let password = given.password ?? (v.user ? process.env.KYOYU_PASSWORD : undefined);
      const key = given.key ?? (!v.user && !previous?.username ? process.env.KYOYU_API_KEY : undefined);
      const terminal = processTerminal();
      if (v.user && password === undefined && key === undefined && terminal.input.isTTY) {
        password = await promptHidden(`Password for ${v.user}: `, terminal);
      }
      const fields = defined({ endpoint: v.endpoint, username: v.user, password, key, tenant: v.tenant });
      const merged = { ...previous, ...fields } as Profile;
      if (!merged.endpoint) throw new CliError('Missing --endpoint');
      file.profiles[name] = merged;
      file.current = name;
      writeProfiles(file);
      print(ctx, { profile: name, endpoint: merged.endpoint, file: configPath() });
    },
  },
  list: {
    usage: 'profile list',
    help: 'List the stored profiles (secrets hidden).',
    run: async (ctx) => {
      const file = readProfiles();
      const rows = Object.entries(file.profiles).map(([name, p]) => ({
        current: name === file.current ? '*' : '',
        name,
        endpoint: p.endpoint,
        user: p.username ?? (p.key ? p.key.slice(0, 20) : ''),
        tenant: p.tenant,
      }));
      print(ctx, rows, ['current', 'name', 'endpoint', 'user', 'tenant']);
    },
  },
  use: {
    usage: 'profile use NAME',
    help: 'Make NAME the current profile.',
    run: async (ctx) => {
      const name = arg(ctx, 0, 'profile name');
      const file = readProfiles();
      if (!file.profiles[name]) throw new CliError(`No profile ${name} in ${configPath()}`);
      writeProfiles({ ...file, current: name });
      print(ctx, { current: name });
    },
  },
};
