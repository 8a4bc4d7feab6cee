import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { parseCommandLine } from '../../../cli/options';
import { firstLine, promptHidden, secretsOf, type Terminal } from '../../../cli/secrets';

const values = (...argv: string[]) => parseCommandLine(argv).values;
const stdin = (text: string) => Readable.from([Buffer.from(text)]);

/** A terminal that types `keys` once the prompt has put it in raw mode, and records what is shown. */
function fakeTerminal(keys: string[]): { terminal: Terminal; shown: () => string; rawModes: boolean[] } {
  let shown = '';
  const rawModes: boolean[] = [];
  const input = Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode: (raw: boolean) => {
      rawModes.push(raw);
      if (raw) setImmediate(() => keys.forEach((k) => input.emit('data', Buffer.from(k))));
    },
    resume: () => input,
    pause: () => input,
  });
  const output = { write: (text: string) => ((shown += text), true) };
  return { terminal: { input, output } as unknown as Terminal, shown: () => shown, rawModes };
}

describe('secrets come from the options, standard input or the environment', () => {
  it('prefers the command line, then standard input, then the environment', async () => {
    const env = { KYOYU_PASSWORD: 'from-env', KYOYU_API_KEY: 'kyk_env' };

    const found = await Promise.all([
      secretsOf(values('--password', '-argv'), stdin('unused\n'), env),
      secretsOf(values('--password-stdin'), stdin('-from-stdin\nsecond line\n'), env),
      secretsOf(values('--key-stdin'), stdin('kyk_stdin\r\n'), env),
      secretsOf(values(), stdin(''), env),
      secretsOf(values(), stdin(''), {}),
    ]);

    expect(found).toEqual([
      { password: '-argv', key: 'kyk_env' },
      { password: '-from-stdin', key: 'kyk_env' },
      { password: 'from-env', key: 'kyk_stdin' },
      { password: 'from-env', key: 'kyk_env' },
      { password: undefined, key: undefined },
    ]);
  });

  it('refuses an empty standard input and asking it for two secrets', async () => {
    await expect(secretsOf(values('--password-stdin'), stdin(''), {})).rejects.toThrow('Standard input held no secret');
    await expect(secretsOf(values('--password-stdin', '--key-stdin'), stdin('x\n'), {})).rejects.toThrow('use one');
  });

  it('reads only the first line of a stream that arrives in pieces', async () => {
    expect(await firstLine(Readable.from(['pass', 'word\nrest', '\n']))).toBe('password');
  });
});

describe('the password prompt', () => {
  it('reads a line in raw mode without echoing it, honouring backspace', async () => {
    const { terminal, shown, rawModes } = fakeTerminal(['s3', 'cx\u007fret', '\r']);

    const password = await promptHidden('Password for rail-admin: ', terminal);

    expect(password).toBe('s3cret');
    expect(shown()).toBe('Password for rail-admin: \n');
    expect(rawModes).toEqual([true, false]);
  });

  it('stops on Ctrl-C, and refuses to ask without a terminal', async () => {
    const { terminal, rawModes } = fakeTerminal(['abc\u0003']);
    const noTerminal = { input: Readable.from([]), output: process.stderr } as unknown as Terminal;

    await expect(promptHidden('Password: ', terminal)).rejects.toThrow('Cancelled');
    expect(rawModes).toEqual([true, false]);
    await expect(promptHidden('Password: ', noTerminal)).rejects.toThrow('Password: no terminal to ask on');
  });
});
