#!/usr/bin/env node
// Verifiable presentations with Digital Bazaar's @digitalbazaar/vc, offline:
// verify one made by `mcred present`, or make one for `mcred verify`.
//
//   node interop/presentation.mjs verify --challenge C --domain D [--now ISO] VP.json
//   node interop/presentation.mjs sign --key KEYPAIR.json --challenge C --domain D \
//     [--created ISO] --out VP.json CRED.json...
//
// verify prints one JSON line {"verified": true|false, "errors": [...]}: vc.verify()
// checks the holder's proof with AuthenticationProofPurpose (challenge, domain,
// the key listed under `authentication` in the did:key document) and every
// credential inside with verifyCredential(). sign uses createPresentation()
// (holder = the key's did:key) and signPresentation() with eddsa-rdfc-2022.
// KEYPAIR.json: an Ed25519 {"publicKeyMultibase": "z6Mk...", "secretKeyMultibase" | "privateKeyMultibase": "z..."}.
// Exit codes: 0 verified / signed, 1 not verified / signing failed, 2 usage error.
import {readFileSync, writeFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {documentLoader, explain, explainAll} from './loader.mjs';
import {signingSuite, verifyingSuites} from './suites.mjs';

function usage(message) {
  console.error(`presentation.mjs: ${message}`);
  console.error('usage: node interop/presentation.mjs verify|sign ... (see the header)');
  process.exit(2);
}

function errorsOf(result) {
  const errors = [result.error];
  for(const r of result.presentationResult?.results ?? []) {
    errors.push(r.error, r.purposeResult?.error);
  }
  for(const c of result.credentialResults ?? []) {
    errors.push(c.error, ...(c.results ?? []).map(r => r.error));
  }
  return explainAll(errors);
}

async function verify({challenge, domain, now}, [file]) {
  const presentation = JSON.parse(readFileSync(file, 'utf8'));
  let line;
  try {
    const result = await vc.verify({presentation, challenge, domain, now,
      suite: verifyingSuites(), documentLoader});
    line = {verified: result.verified === true,
      errors: result.verified ? [] : errorsOf(result)};
  } catch(e) {
    line = {verified: false, errors: [explain(e)]};
  }
  console.log(JSON.stringify(line));
  return line.verified ? 0 : 1;
}

async function loadKeyPair(file) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const {publicKeyMultibase} = json;
  // the W3C vectors name it privateKeyMultibase, ed25519-multikey's export secretKeyMultibase
  const secretKeyMultibase = json.secretKeyMultibase ?? json.privateKeyMultibase;
  const decoded = await Ed25519Multikey.from({publicKeyMultibase, secretKeyMultibase});
  const controller = `did:key:${publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.generate({seed: decoded.secretKey.slice(0, 32), controller});
  if(keyPair.publicKeyMultibase !== publicKeyMultibase) {
    throw new Error(`${file}: the secret key does not match publicKeyMultibase`);
  }
  return keyPair;
}

async function sign({key, challenge, domain, created, out}, files) {
  const keyPair = await loadKeyPair(key);
  const verifiableCredential = files.map(f => JSON.parse(readFileSync(f, 'utf8')));
  const presentation = vc.createPresentation({verifiableCredential, holder: keyPair.controller});
  const suite = signingSuite({name: 'eddsa-rdfc-2022', signer: keyPair.signer(), date: created});
  const signed = await vc.signPresentation({presentation, suite, challenge, domain, documentLoader});
  writeFileSync(out, JSON.stringify(signed, null, 2) + '\n');
  return 0;
}

async function main() {
  const [mode, ...rest] = process.argv.slice(2);
  let args;
  try {
    args = parseArgs({args: rest, allowPositionals: true, options: {
      challenge: {type: 'string'}, domain: {type: 'string'}, now: {type: 'string'},
      key: {type: 'string'}, created: {type: 'string'}, out: {type: 'string'}}});
  } catch(e) {
    usage(e.message);
  }
  const {values, positionals} = args;
  if(!values.challenge) {
    usage('--challenge is required');
  }
  if(mode === 'verify' && positionals.length === 1) {
    return verify(values, positionals);
  }
  if(mode === 'sign' && values.key && values.out && positionals.length > 0) {
    return sign(values, positionals);
  }
  usage('verify VP.json, or sign --key --out CRED.json...');
}

main().then(code => process.exit(code), e => {
  console.error(`presentation.mjs: ${explain(e)}`);
  process.exit(1);
});
