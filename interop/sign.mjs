#!/usr/bin/env node
// Sign a credential with Digital Bazaar's @digitalbazaar/vc `issue()`.
//
//   node interop/sign.mjs --suite eddsa-rdfc-2022|eddsa-jcs-2022|ecdsa-rdfc-2019 \
//     --key KEYPAIR.json [--created ISO] IN.json OUT.json
//
// For ecdsa-rdfc-2019, KEYPAIR.json is a P-256 or P-384 Multikey key pair
// (publicKeyMultibase zDn... / z82..., secretKeyMultibase), as in the W3C
// vc-di-ecdsa vectors. Otherwise it is Ed25519:
// KEYPAIR.json: {"publicKeyMultibase": "z6Mk...",
//                "secretKeyMultibase" | "privateKeyMultibase": "z..."}
// The secret may be multicodec 0x8026 + the 32-byte seed (as in the W3C test
// vectors) or + the 64-byte seed||public key (ed25519-multikey's own export).
// The verification method is did:key:<fp>#<fp>, controlled by did:key:<fp>.
// The issuer is NOT checked or changed: this is a test tool, and a
// mismatching issuer is something verify.mjs should then report.
// Exit codes: 0 signed, 1 signing failed, 2 usage error.
import {readFileSync, writeFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {documentLoader, explain} from './loader.mjs';
import {SUITE_NAMES, signingSuite} from './suites.mjs';

const USAGE = 'usage: node interop/sign.mjs --suite ' +
  `${SUITE_NAMES.join('|')} --key KEYPAIR.json [--created ISO] IN.json OUT.json`;

function usage(message) {
  if(message) {
    console.error(`sign.mjs: ${message}`);
  }
  console.error(USAGE);
  process.exit(2);
}

// Load the key pair and make sure the secret really belongs to the public
// key: the seed (first 32 bytes of the secret) is re-expanded and the derived
// public key must equal publicKeyMultibase.
async function loadKeyPair(file) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const {publicKeyMultibase} = json;
  const secretKeyMultibase = json.secretKeyMultibase ?? json.privateKeyMultibase;
  if(/^(zDn|z82)/.test(publicKeyMultibase ?? '') && secretKeyMultibase) {
    // ecdsa-multikey checks that the secret and the public key are one pair
    const controller = `did:key:${publicKeyMultibase}`;
    return EcdsaMultikey.from({id: `${controller}#${publicKeyMultibase}`,
      controller, publicKeyMultibase, secretKeyMultibase});
  }
  if(!publicKeyMultibase?.startsWith('z6Mk') || !secretKeyMultibase) {
    throw new Error(`${file}: need an Ed25519 "publicKeyMultibase" (z6Mk...) ` +
      'and a "secretKeyMultibase" or "privateKeyMultibase".');
  }
  // decodes both multibase values (strips the 2-byte multicodec headers)
  const decoded = await Ed25519Multikey.from(
    {publicKeyMultibase, secretKeyMultibase});
  if(![32, 64].includes(decoded.secretKey.length)) {
    throw new Error(`${file}: secret key must be 32 or 64 bytes, got ` +
      `${decoded.secretKey.length}.`);
  }
  const controller = `did:key:${publicKeyMultibase}`;
  // generate() from the seed gives the canonical 64-byte secret key form,
  // id = `${controller}#${publicKeyMultibase}`
  const keyPair = await Ed25519Multikey.generate(
    {seed: decoded.secretKey.slice(0, 32), controller});
  if(keyPair.publicKeyMultibase !== publicKeyMultibase) {
    throw new Error(`${file}: the secret key does not match ` +
      `publicKeyMultibase (it derives ${keyPair.publicKeyMultibase}).`);
  }
  return keyPair;
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        suite: {type: 'string'},
        key: {type: 'string'},
        created: {type: 'string'}
      },
      allowPositionals: true
    });
  } catch(e) {
    usage(e.message);
  }
  const {values: {suite: suiteName, key, created}, positionals} = args;
  if(!SUITE_NAMES.includes(suiteName)) {
    usage(`--suite must be one of ${SUITE_NAMES.join(', ')}`);
  }
  if(!key) {
    usage('--key is required');
  }
  if(positionals.length !== 2) {
    usage('need exactly IN.json and OUT.json');
  }
  if(created !== undefined && isNaN(new Date(created))) {
    usage(`--created "${created}" is not a date`);
  }
  const [inFile, outFile] = positionals;

  const keyPair = await loadKeyPair(key);
  const credential = JSON.parse(readFileSync(inFile, 'utf8'));

  const suite = signingSuite({name: suiteName, signer: keyPair.signer(),
    date: created});
  // vc.issue runs the VC data model checks (v1.1: issuanceDate is required and
  // is ADDED with the current time when missing; v2: validFrom/validUntil
  // format) and then jsonld-signatures' sign() with the default
  // CredentialIssuancePurpose (proofPurpose "assertionMethod"). It mutates
  // the credential it is given, so give it a copy and compare afterwards.
  const signed = await vc.issue({credential: structuredClone(credential),
    suite, documentLoader});

  // Tell the user if issue() changed anything besides the proof (e.g. an
  // added issuanceDate, or the data-integrity context appended).
  for(const k of new Set([...Object.keys(credential), ...Object.keys(signed)])) {
    if(k !== 'proof' &&
      JSON.stringify(credential[k]) !== JSON.stringify(signed[k])) {
      console.error(`sign.mjs: note: vc.issue changed "${k}": ` +
        `${JSON.stringify(credential[k])} -> ${JSON.stringify(signed[k])}`);
    }
  }
  writeFileSync(outFile, JSON.stringify(signed, null, 2) + '\n');
}

main().catch(e => {
  console.error(`sign.mjs: ${explain(e)}`);
  process.exit(1);
});
