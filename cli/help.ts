/** `kyoyu --help`, `kyoyu GROUP --help` and `kyoyu GROUP VERB --help`, all from the command table. */
import type { Command } from './command';
import { COMMANDS, TOP } from './commands/index';
import { COMMON_OPTIONS } from './options';
import { configPath } from './profiles';

const entry = (cmd: Command) => [`  kyoyu ${cmd.usage}`, `      ${cmd.help}`];

export const FOOTER = [
  'Profiles: {file} (KYOYU_CONFIG overrides); --endpoint, --user, --password, --key, --tenant override the profile.',
  'Secrets: a password is asked for in a terminal (no echo), or read from KYOYU_PASSWORD or standard input (--password-stdin);',
  '  a key from KYOYU_API_KEY or --key-stdin. --password and --key also work, but leave the secret in shell history and `ps`.',
  `Common options: ${COMMON_OPTIONS.map((o) => `--${o}`).join(', ')}.`,
];

export function helpText(group?: string): string {
  const lines = ['Usage: kyoyu COMMAND [options]   (--json for scripts, --profile NAME, --help on every command)', ''];
  if (!group) for (const cmd of Object.values(TOP)) lines.push(...entry(cmd));
  for (const g of group ? [group] : Object.keys(COMMANDS)) for (const cmd of Object.values(COMMANDS[g] ?? {})) lines.push(...entry(cmd));
  if (!group) lines.push('', ...FOOTER.map((line) => line.replace('{file}', configPath())));
  return `${lines.join('\n')}\n`;
}

export const commandHelp = (cmd: Command): string => `Usage: kyoyu ${cmd.usage}\n${cmd.help}\n`;
