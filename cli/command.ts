/** What a command is and what it gets: the parsed options, its positional arguments, and a way to connect. */
import type { Connection } from './connection';
import { CliError } from './errors';
import type { Values } from './options';
import type { Row } from './output';

export interface Context {
  values: Values;
  /** Positional arguments after the command's name. */
  args: string[];
  json: boolean;
  /** The endpoint and credentials of the profile and options; asks for a password only when a command needs one. */
  connect: () => Promise<Connection>;
}

export interface Command {
  /** One line, without `kyoyu `: the command, its arguments and options (`[…]` optional). */
  usage: string;
  help: string;
  run: (ctx: Context) => Promise<void>;
}

export type CommandGroup = Record<string, Command>;

/** A comma-separated option as a list. */
export const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);

export function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CliError(`--${name} must be an integer, got ${value}`);
  return n;
}

/** The fields that were given: an absent option leaves the API's value as it is. */
export function defined(object: Row): Row {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

export function arg(ctx: Context, index: number, what: string): string {
  const value = ctx.args[index];
  if (!value) throw new CliError(`Missing ${what}; see --help`);
  return value;
}

export function one(values: string[] | undefined, what: string): string {
  const value = values?.[0];
  if (!value) throw new CliError(`Missing --${what}; see --help`);
  return value;
}
