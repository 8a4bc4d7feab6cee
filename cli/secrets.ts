/**
 * Passwords and API keys for one run. A value on the command line is visible to every user of the machine (`ps`)
 * and stays in shell history, so the CLI also takes it from the environment (KYOYU_PASSWORD, KYOYU_API_KEY), from
 * standard input (--password-stdin, --key-stdin: one line, for pipes and secret managers) or from a prompt that
 * does not echo. The command-line options stay accepted for scripts that already use them.
 */
import { CliError } from './errors';
import type { Values } from './options';

export interface Secrets {
  password?: string;
  key?: string;
}

/** The first line of a stream, without its line ending (a trailing newline from `echo` is not part of a secret). */
export async function firstLine(input: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0]!;
}

/** The streams a prompt needs: a terminal in raw mode, so that typed characters are not echoed. */
export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream;
}

/** Reads a line from a terminal without echoing it; Ctrl-C or Ctrl-D on an empty line aborts. */
export function promptHidden(question: string, terminal: Terminal): Promise<string> {
  const { input, output } = terminal;
  if (!input.isTTY || !input.setRawMode) {
    return Promise.reject(new CliError(`${question.replace(/:\s*$/, '')}: no terminal to ask on`));
  }
  const setRawMode = input.setRawMode.bind(input);
  output.write(question);
  setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      input.removeListener('data', onData);
      setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && typed === '')) return finish(new CliError('Cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/** Where this run's secrets come from, in order: the options, standard input, the environment. */
export async function secretsOf(
  values: Values,
  stdin: AsyncIterable<Buffer | string> = process.stdin,
  env: Record<string, string | undefined> = process.env,
): Promise<Secrets> {
  if (values['password-stdin'] && values['key-stdin']) {
    throw new CliError('--password-stdin and --key-stdin both read standard input; use one');
  }
  const fromStdin = values['password-stdin'] || values['key-stdin'] ? await firstLine(stdin) : undefined;
  if (fromStdin === '') throw new CliError('Standard input held no secret (one line was expected)');
  return {
    password: values.password ?? (values['password-stdin'] ? fromStdin : undefined) ?? env.KYOYU_PASSWORD,
    key: values.key ?? (values['key-stdin'] ? fromStdin : undefined) ?? env.KYOYU_API_KEY,
  };
}

export const processTerminal = (): Terminal => ({ input: process.stdin, output: process.stderr });
