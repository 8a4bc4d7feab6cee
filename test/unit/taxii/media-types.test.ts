import { NotAcceptableError, UnsupportedMediaTypeError } from '../../../shared/core/errors';
import { assertAcceptsTaxii, assertTaxiiContentType } from '../../../shared/core/taxii/media-types';

describe('TAXII content negotiation (TAXII 2.1 §1.6.8)', () => {
  it.each([
    'application/taxii+json;version=2.1',
    'application/taxii+json; version=2.1',
    'application/taxii+json',
    'application/*',
    '*/*',
    'text/html, application/taxii+json;version=2.1;q=0.5',
    '',
  ])('accepts Accept: %s', (accept) => {
    expect(() => assertAcceptsTaxii(accept)).not.toThrow();
  });

  it.each([
    'application/vnd.oasis.taxii+json; version=2.0',
    'application/vnd.oasis.stix+json; version=2.0',
    'application/taxii+json;version=2.0',
    'application/json',
    'application/taxii+json;version=2.1;q=0',
  ])('answers 406 to Accept: %s (TAXII-CLIENTS #2)', (accept) => {
    expect(() => assertAcceptsTaxii(accept)).toThrow(NotAcceptableError);
  });

  it('tells the client which Accept to send', () => {
    expect(() => assertAcceptsTaxii('application/xml')).toThrow(/send Accept: application\/taxii\+json;version=2.1/);
  });

  it('accepts the TAXII envelope media type as Content-Type and refuses others with 415', () => {
    expect(() => assertTaxiiContentType('application/taxii+json;version=2.1')).not.toThrow();
    expect(() => assertTaxiiContentType('application/taxii+json; charset=utf-8')).not.toThrow();
    expect(() => assertTaxiiContentType('application/json')).toThrow(UnsupportedMediaTypeError);
    expect(() => assertTaxiiContentType(undefined)).toThrow(UnsupportedMediaTypeError);
  });

  it('refuses a TAXII envelope declared in a charset other than UTF-8 (RFC 8259 §8.1)', () => {
    expect(() => assertTaxiiContentType('application/taxii+json;version=2.1;charset=latin1')).toThrow(UnsupportedMediaTypeError);
    expect(() => assertTaxiiContentType('application/taxii+json;version=2.1;charset=utf-16')).toThrow(UnsupportedMediaTypeError);
    expect(() => assertTaxiiContentType('application/taxii+json;version=2.1;charset="UTF-8"')).not.toThrow();
  });
});
