import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPkceS256Challenge, pkceS256Challenge, pkceVerifierMatches } from './pkce.ts';

// RFC 7636 Appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

test('S256 as RFC 7636 computes it', () => {
  assert.equal(pkceS256Challenge(RFC_VERIFIER), RFC_CHALLENGE);
  assert.ok(pkceVerifierMatches(RFC_VERIFIER, RFC_CHALLENGE));
  assert.ok(isPkceS256Challenge(RFC_CHALLENGE));
  assert.ok(!isPkceS256Challenge(`${RFC_CHALLENGE}=`));
  assert.ok(!isPkceS256Challenge(RFC_VERIFIER.replace('-', '+')));
});

test('a verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~, and nothing else matches', () => {
  const matches = (verifier: string) => pkceVerifierMatches(verifier, pkceS256Challenge(verifier));
  assert.ok(matches('a'.repeat(43)));
  assert.ok(matches(`${'Az09'.repeat(31)}-._~`));
  assert.equal(`${'Az09'.repeat(31)}-._~`.length, 128);
  for (const malformed of [
    'a'.repeat(42),
    'a'.repeat(129),
    `${'a'.repeat(42)}+`,
    `${'a'.repeat(42)}/`,
    `${'a'.repeat(42)}=`,
    `${'a'.repeat(42)} `,
    `${'a'.repeat(42)}é`,
    '',
  ]) {
    assert.ok(!matches(malformed), JSON.stringify(malformed));
  }
  assert.ok(!pkceVerifierMatches(undefined, RFC_CHALLENGE));
  assert.ok(!pkceVerifierMatches(RFC_VERIFIER, pkceS256Challenge('a'.repeat(43))));
});
