import { COMMANDS, TOP } from '../../../cli/commands/index';
import { commandHelp, helpText } from '../../../cli/help';
import { attachOptionValues, OPTIONS, parseCommandLine } from '../../../cli/options';

const everyCommand = () => [...Object.values(TOP), ...Object.values(COMMANDS).flatMap((group) => Object.values(group))];

describe('kyoyu --help is the command table', () => {
  it('lists every command of the table, in order, with its help, and nothing else', () => {
    const help = helpText();

    const listed = [...help.matchAll(/^ {2}kyoyu (.+)\n {6}(.+)$/gm)].map((m) => [m[1], m[2]]);

    expect(listed).toEqual(everyCommand().map((c) => [c.usage, c.help]));
    expect(listed.length).toBeGreaterThan(50);
  });

  it('names every option somewhere: in a usage line or among the common options', () => {
    const help = helpText();

    const missing = Object.keys(OPTIONS).filter((name) => !new RegExp(`--${name}\\b(?!-)`).test(help));

    expect(missing).toEqual([]);
  });

  it('gives a group its commands only, and each command its usage line', () => {
    const tenantHelp = helpText('tenant');

    const listed = [...tenantHelp.matchAll(/^ {2}kyoyu (\S+ \S+)/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(COMMANDS.tenant!).map((verb) => `tenant ${verb}`));
    expect(commandHelp(COMMANDS.grant!.set!)).toBe(`Usage: kyoyu ${COMMANDS.grant!.set!.usage}\n${COMMANDS.grant!.set!.help}\n`);
  });

  it('recommends secrets outside argv', () => {
    expect(helpText()).toMatch(/KYOYU_PASSWORD.*--password-stdin[\s\S]*KYOYU_API_KEY or --key-stdin/);
    expect(COMMANDS.profile!.set!.usage).not.toMatch(/--password SECRET|--key KEY/);
  });
});

describe('option values that start with a dash', () => {
  it('stay values of string options, and boolean options take no value', () => {
    const argv = ['profile', 'set', 'x', '--password', '-x9Zq', '--user', '--odd', '-o', '-out', '--json', '--password-stdin'];

    const { values, positionals } = parseCommandLine(argv);

    const attached = ['profile', 'set', 'x', '--password=-x9Zq', '--user=--odd', '--output=-out', '--json', '--password-stdin'];
    expect(attachOptionValues(argv)).toEqual(attached);
    expect([positionals, values.password, values.user, values.output, values['password-stdin']]).toEqual([
      ['profile', 'set', 'x'],
      '-x9Zq',
      '--odd',
      '-out',
      true,
    ]);
  });

  it('refuses an unknown option with a one-line error', () => {
    expect(() => parseCommandLine(['member', 'list', '--colour', 'red'])).toThrow(/^[^\n]*Unknown option '--colour'[^\n]*$/);
  });
});
