#!/usr/bin/env node
// Present an SD-JWT VC with the OpenWallet Foundation's @sd-jwt/sd-jwt-vc: chosen disclosures and a Key
// Binding JWT signed by the holder, as a wallet answers a verifier's request.
//
//   node interop/sd-jwt-vc-present.mjs --holder-key HOLDER.pem --disclose PATH,... --nonce N --aud A
//     [--iat SECONDS] IN.sd-jwt OUT.sd-jwt
//
// Keeps the disclosures of the claims named by --disclose (dotted paths, as for mcred present; a claim
// inside a disclosed object needs the object too: "address,address.locality"; a path without a disclosure
// is refused), drops the others, and
// appends a KB-JWT (typ kb+jwt, ES256 with the P-256 key HOLDER.pem) whose payload is nonce, aud, iat
// (default: now) and the sd_hash the library computes. The library does not check that HOLDER.pem is the
// credential's cnf key: a verifier does. Prints one JSON line {"disclosures": N}.
// Exit codes: 0 presented, 1 failure (message on stderr), 2 usage error.
import {readFileSync, writeFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest} from '@sd-jwt/crypto-nodejs';
import {claimPaths, presentationFrame, privateJwk} from './sd-jwt-support.mjs';

const USAGE = 'usage: node interop/sd-jwt-vc-present.mjs --holder-key HOLDER.pem --disclose PATH,... ' +
  '--nonce N --aud A [--iat SECONDS] IN.sd-jwt OUT.sd-jwt';
let values, positionals;
try {
  ({values, positionals} = parseArgs({
    options: {
      'holder-key': {type: 'string'}, disclose: {type: 'string', multiple: true}, nonce: {type: 'string'},
      aud: {type: 'string'}, iat: {type: 'string'},
    },
    allowPositionals: true,
  }));
} catch(error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if(positionals.length !== 2 || !values['holder-key'] || !values.nonce || !values.aud) {
  console.error(USAGE);
  process.exit(2);
}

try {
  const holder = new SDJwtVcInstance({
    hasher: digest, kbSignAlg: ES256.alg, kbSigner: await ES256.getSigner(privateJwk(values['holder-key'])),
  });
  const iat = values.iat ? Number(values.iat) : Math.floor(Date.now() / 1000);
  const issued = readFileSync(positionals[0], 'utf8').trim();
  // the library skips a path it has no disclosure for: refuse it, so that a typo does not present less
  const presentable = await holder.presentableKeys(issued);
  const paths = claimPaths(values.disclose);
  const unknown = paths.filter(path => !presentable.includes(path));
  if(unknown.length > 0) {
    throw new Error(`${positionals[0]} has no disclosure for ${unknown.join(', ')} (it has: ${presentable.join(', ')})`);
  }
  const text = await holder.present(issued, presentationFrame(paths),
    {kb: {payload: {iat, aud: values.aud, nonce: values.nonce}}});
  writeFileSync(positionals[1], text);
  console.log(JSON.stringify({disclosures: text.split('~').length - 2}));
} catch(error) {
  console.error(`sd-jwt-vc-present: ${error?.message ?? error}`);
  process.exit(1);
}
