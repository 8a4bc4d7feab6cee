import { ConfigurationError } from '../../shared/core/errors';
import { parseSecretList } from '../../shared/core/secrets';

const A = 'a'.repeat(48);
const B = 'b'.repeat(48);
const ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:KyoyuCursorSecret-AbCdEf';

describe('parseSecretList', () => {
  it('reads a comma-separated list, newest first, trimmed', () => {
    expect(parseSecretList(ID, ` ${A} , ${B},`)).toEqual([A, B]);
  });

  it('refuses an empty value or a short secret, naming the secret and never the value', () => {
    const tooShort = () => parseSecretList(ID, `${A},short-secret-value`);

    expect(() => parseSecretList(ID, ' , ')).toThrow(new ConfigurationError(`Secret ${ID} is empty`));
    expect(tooShort).toThrow(ConfigurationError);
    expect(tooShort).toThrow(/value 2 of 2 is shorter than 32 characters/);
    expect(tooShort).not.toThrow(/short-secret-value|aaaa/);
  });
});
