/** Dispatch: parse the command line, find the command in the table, run it; help when asked or lost. */
import type { Context } from './command';
import { COMMANDS, TOP } from './commands/index';
import { connect, type Connection } from './connection';
import { CliError } from './errors';
import { commandHelp, helpText } from './help';
import { parseCommandLine } from './options';

/** Runs one command line; the exit status, or a thrown CliError (exit 1) or other error (exit 2). */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [first, second, ...rest] = positionals;
  if (!first) return (process.stdout.write(helpText()), values.help ? 0 : 1);
  const top = TOP[first];
  const group = COMMANDS[first];
  const command = top ?? group?.[second ?? ''];
  if (!command) {
    if (group && (values.help || !second)) return (process.stdout.write(helpText(first)), values.help ? 0 : 1);
    if (group) throw new CliError(`Unknown command: ${first} ${second}; see kyoyu ${first} --help`);
    throw new CliError(`Unknown command: ${first}; see kyoyu --help`);
  }
  if (values.help) return (process.stdout.write(commandHelp(command)), 0);
  let connection: Promise<Connection> | undefined;
  const ctx: Context = {
    values,
    args: top ? positionals.slice(1) : rest,
    json: values.json ?? false,
    connect: () => (connection ??= connect(values)),
  };
  await command.run(ctx);
  return Number(process.exitCode ?? 0);
}
