#!/usr/bin/env node
// Issue an SD-JWT VC with the OpenWallet Foundation's @sd-jwt/sd-jwt-vc, offline: what "theirs" is when
// mcred verifies a credential it did not make.
//
//   node interop/sd-jwt-vc-issue.mjs --key ISSUER.pem --chain CHAIN.pem --claims CLAIMS.json
//     [--sd PATH,...] [--decoys N] [--holder HOLDER.pem] [--iat SECONDS] [--exp SECONDS] [--typ TYP] OUT.sd-jwt
//
// ES256 with the P-256 private key ISSUER.pem (PKCS#8 or SEC1); the header carries typ dc+sd-jwt (the
// library's; --typ gives another, to make a credential a verifier must refuse) and x5c, the certificates of
// CHAIN.pem, leaf first. The payload is CLAIMS.json (which should give vct: neither the library nor this
// script requires it, so that a test can leave it out) with iat (default: now), exp when given and cnf.jwk,
// the public key of HOLDER.pem, when given.
// --sd names the claims @sd-jwt makes selectively disclosable, as dotted paths ("address.locality",
// "nationalities.1" for an array element; "address" and "address.locality" for a disclosure inside a
// disclosure); --decoys adds that many decoy digests to each object with an _sd (@sd-jwt's _sd_decoy).
// Salts are the library's (crypto-nodejs generateSalt). Prints one JSON line {"disclosures": N, "header": ...}.
// Exit codes: 0 issued, 1 failure (message on stderr), 2 usage error.
import {readFileSync, writeFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest, generateSalt} from '@sd-jwt/crypto-nodejs';
import {claimPaths, disclosureFrame, privateJwk, publicJwk, x5cFromPem} from './sd-jwt-support.mjs';

const USAGE = 'usage: node interop/sd-jwt-vc-issue.mjs --key ISSUER.pem --chain CHAIN.pem --claims CLAIMS.json ' +
  '[--sd PATH,...] [--decoys N] [--holder HOLDER.pem] [--iat SECONDS] [--exp SECONDS] [--typ TYP] OUT.sd-jwt';
let values, positionals;
try {
  ({values, positionals} = parseArgs({
    options: {
      key: {type: 'string'}, chain: {type: 'string'}, claims: {type: 'string'}, sd: {type: 'string', multiple: true},
      decoys: {type: 'string'}, holder: {type: 'string'}, iat: {type: 'string'}, exp: {type: 'string'},
      typ: {type: 'string'},
    },
    allowPositionals: true,
  }));
} catch(error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if(positionals.length !== 1 || !values.key || !values.chain || !values.claims) {
  console.error(USAGE);
  process.exit(2);
}

try {
  const claims = JSON.parse(readFileSync(values.claims, 'utf8'));
  const payload = {...claims, iat: values.iat ? Number(values.iat) : Math.floor(Date.now() / 1000)};
  if(values.exp) {
    payload.exp = Number(values.exp);
  }
  if(values.holder) {
    payload.cnf = {jwk: publicJwk(values.holder)};
  }
  const issuer = new SDJwtVcInstance({
    hasher: digest, saltGenerator: generateSalt, signAlg: ES256.alg,
    signer: await ES256.getSigner(privateJwk(values.key)),
  });
  const frame = disclosureFrame(payload, claimPaths(values.sd), Number(values.decoys ?? 0));
  const text = await issuer.issue(payload, frame, {
    header: {x5c: x5cFromPem(values.chain), ...(values.typ ? {typ: values.typ} : {})},
  });
  writeFileSync(positionals[0], text + '\n');
  const header = JSON.parse(Buffer.from(text.split('.')[0], 'base64url').toString('utf8'));
  console.log(JSON.stringify({disclosures: text.split('~').length - 2, header}));
} catch(error) {
  console.error(`sd-jwt-vc-issue: ${error?.message ?? error}`);
  process.exit(1);
}
