import fc from 'fast-check';
import { loadKnowledge } from '../../src/diagnosis/knowledge';
import { repairOcrText } from '../../src/ocr';

const knowledge = loadKnowledge();

describe('OCR slips in codes are mended', () => {
  test.each([
    ['Error: invalid grant (Token has been expired or revoked.)', 'invalid_grant'],
    ['code: EXPIRED ACCESS TOKEN', 'EXPIRED_ACCESS_TOKEN'],
    ['AADSTS 50173: The provided grant has expired', 'AADSTS50173'],
    ['AADSTS:700082 The refresh token has expired', 'AADSTS700082'],
    ['AADSTS5OO76: Due to a configuration change', 'AADSTS50076'],
    ['AADSTS7000l5 something', 'AADSTS700015'],
  ])('%s', (text, code) => {
    expect(repairOcrText(text, knowledge)).toContain(code);
  });

  test('wrapped lines are joined, paragraphs kept', () => {
    expect(
      repairOcrText(
        'Error validating access token: Session has\nexpired on Monday\n\nSecond paragraph',
        knowledge,
      ),
    ).toBe('Error validating access token: Session has expired on Monday\nSecond paragraph');
  });

  test('words that only look like part of a code are left alone', () => {
    expect(repairOcrText('AADSTS error with no number', knowledge)).toBe('AADSTS error with no number');
    expect(repairOcrText('invalid  grant', knowledge)).toBe('invalid  grant');
    expect(repairOcrText('an invalid request', knowledge)).toBe('an invalid request');
  });

  test('any text: never throws, never grows but by joined lines', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const out = repairOcrText(text, knowledge);
        expect(out.length).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});
