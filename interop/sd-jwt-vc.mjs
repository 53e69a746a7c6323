#!/usr/bin/env node
// Verify an SD-JWT VC, or a presentation of one, with the OpenWallet Foundation's @sd-jwt/sd-jwt-vc, offline.
//
//   node interop/sd-jwt-vc.mjs --anchor CA.pem [--now SECONDS] [--nonce N --aud A] FILE
//
// The issuer's key is the x5c leaf's; each x5c certificate must be signed by the next and the last by
// the anchor (node:crypto's X509Certificate), and be valid at --now. @sd-jwt/sd-jwt-vc then checks
// the signature, every disclosure's digest, typ, vct, iat/nbf/exp. Nothing is fetched: no status
// list fetcher and no type metadata are configured (the credential carries no status).
// With --nonce and --aud, key binding is required: the library checks the KB-JWT (typ kb+jwt, its
// signature by the credential's cnf.jwk, given to it as its kbVerifier, the nonce, sd_hash); it does not
// check aud (nor the KB-JWT's iat), so this script compares aud itself.
// Prints one JSON line: {"verified": true, "header": ..., "claims": ..., "kb": ...} or
// {"verified": false, "error": ...}. Exit codes: 0 verified, 1 not verified, 2 usage error.
import {X509Certificate} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest} from '@sd-jwt/crypto-nodejs';
import {checkChain} from './sd-jwt-support.mjs';

const USAGE = 'usage: node interop/sd-jwt-vc.mjs --anchor CA.pem [--now SECONDS] [--nonce N --aud A] FILE';
let values, positionals;
try {
  ({values, positionals} = parseArgs({
    options: {anchor: {type: 'string'}, now: {type: 'string'}, nonce: {type: 'string'}, aud: {type: 'string'}},
    allowPositionals: true,
  }));
} catch(error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
// key binding is asked for with both or neither: a nonce without an audience would leave aud unchecked
if(positionals.length !== 1 || !values.anchor || (values.nonce === undefined) !== (values.aud === undefined)) {
  console.error(USAGE);
  process.exit(2);
}
const now = values.now ? Number(values.now) : Math.floor(Date.now() / 1000);

// the KB-JWT must be signed by the key the issuer bound the credential to (cnf.jwk, RFC 9901 7.3 step 5)
async function holderVerifier(data, signature, payload) {
  const jwk = payload?.cnf?.jwk;
  if(!jwk) {
    throw new Error('the credential has no cnf.jwk to check the Key Binding JWT with');
  }
  return (await ES256.getVerifier(jwk))(data, signature);
}

try {
  const text = readFileSync(positionals[0], 'utf8').trim();
  const header = JSON.parse(Buffer.from(text.split('.')[0], 'base64url').toString('utf8'));
  const leaf = checkChain(header.x5c ?? [], new X509Certificate(readFileSync(values.anchor)), now);
  const verifier = await ES256.getVerifier(leaf.publicKey.export({format: 'jwk'}));
  const sdjwt = new SDJwtVcInstance({hasher: digest, verifier, kbVerifier: holderVerifier});
  const result = await sdjwt.verify(text, {currentDate: now, keyBindingNonce: values.nonce});
  if(values.aud !== undefined && result.kb?.payload?.aud !== values.aud) {
    throw new Error(`Key Binding JWT aud is ${JSON.stringify(result.kb?.payload?.aud)}, not ${JSON.stringify(values.aud)}`);
  }
  console.log(JSON.stringify({verified: true, header: result.header, claims: result.payload, kb: result.kb?.payload}));
} catch(error) {
  console.log(JSON.stringify({verified: false, error: String(error?.message ?? error)}));
  process.exit(1);
}
