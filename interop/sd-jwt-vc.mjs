#!/usr/bin/env node
// Verify an SD-JWT VC with the OpenWallet Foundation's @sd-jwt/sd-jwt-vc, offline.
//
//   node interop/sd-jwt-vc.mjs --anchor CA.pem [--now SECONDS] FILE
//
// The issuer's key is the x5c leaf's; each x5c certificate must be signed by the next and the last by
// the anchor (node:crypto's X509Certificate), and be valid at --now. @sd-jwt/sd-jwt-vc then checks
// the signature, every disclosure's digest, typ, vct, iat/nbf/exp. Nothing is fetched: no status
// list fetcher and no type metadata are configured (the credential carries no status).
// Prints one JSON line: {"verified": true, "header": ..., "claims": ...} or {"verified": false, "error": ...}.
// Exit codes: 0 verified, 1 not verified, 2 usage error.
import {X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest} from '@sd-jwt/crypto-nodejs';

const {values, positionals} = parseArgs({
  options: {anchor: {type: 'string'}, now: {type: 'string'}}, allowPositionals: true,
});
if(positionals.length !== 1 || !values.anchor) {
  console.error('usage: node interop/sd-jwt-vc.mjs --anchor CA.pem [--now SECONDS] FILE');
  process.exit(2);
}
const now = values.now ? Number(values.now) : Math.floor(Date.now() / 1000);

function checkChain(x5c, anchor) {
  const certs = x5c.map(b64 => new X509Certificate(Buffer.from(b64, 'base64')));
  const when = new Date(now * 1000);
  certs.forEach((cert, i) => {
    const issuer = certs[i + 1] ?? anchor;
    if(!cert.verify(issuer.publicKey)) {
      throw new Error(`x5c[${i}] is not signed by ${i + 1 < certs.length ? `x5c[${i + 1}]` : 'the anchor'}`);
    }
    if(when < new Date(cert.validFrom) || when > new Date(cert.validTo)) {
      throw new Error(`x5c[${i}] is not valid at ${when.toISOString()}`);
    }
  });
  return certs[0];
}

try {
  const text = readFileSync(positionals[0], 'utf8').trim();
  const header = JSON.parse(Buffer.from(text.split('.')[0], 'base64url').toString('utf8'));
  const leaf = checkChain(header.x5c ?? [], new X509Certificate(readFileSync(values.anchor)));
  const verifier = await ES256.getVerifier(leaf.publicKey.export({format: 'jwk'}));
  const sdjwt = new SDJwtVcInstance({hasher: digest, verifier});
  const result = await sdjwt.verify(text, {currentDate: now});
  console.log(JSON.stringify({verified: true, header: result.header, claims: result.payload}));
} catch(error) {
  console.log(JSON.stringify({verified: false, error: String(error?.message ?? error)}));
  process.exit(1);
}
