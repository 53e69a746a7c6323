#!/usr/bin/env node
// Verify mcred bundle manifests (`NAME.bundle.json`) with Digital Bazaar's
// jsonld-signatures and its eddsa-jcs-2022 cryptosuite, offline.
//
//   node interop/bundle-manifest.mjs FILE...
//
// A manifest is a JSON document (no @context) with one eddsa-jcs-2022
// DataIntegrityProof by a did:key (docs/bundle.md): `jsigs.verify` with the
// assertionMethod purpose checks the proof over the JCS form of the document,
// and that the verification method is the DID's assertion method. It does not
// check that the signer is the manifest's `issuer` (mcred does): that field
// means nothing to a generic Data Integrity verifier.
//
// Prints one JSON line per file: {"file": ..., "verified": true|false,
// "errors": [...]}. Exit codes: 0 all verified, 1 any not, 2 usage error.
import {readFileSync} from 'node:fs';
import jsigs from 'jsonld-signatures';
import {documentLoader, explain} from './loader.mjs';
import {verifyingSuites} from './suites.mjs';

const {purposes: {AssertionProofPurpose}} = jsigs;

async function verifyFile(file) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch(e) {
    return {file, verified: false, errors: [`cannot read: ${e.message}`]};
  }
  try {
    const result = await jsigs.verify(manifest, {
      suite: verifyingSuites(), purpose: new AssertionProofPurpose(),
      documentLoader
    });
    const errors = result.verified ? [] :
      [...new Set((result.error?.errors ?? [result.error]).map(explain))];
    return {file, verified: result.verified === true, errors};
  } catch(e) {
    return {file, verified: false, errors: [explain(e)]};
  }
}

const files = process.argv.slice(2);
if(!files.length) {
  console.error('usage: node interop/bundle-manifest.mjs FILE...');
  process.exit(2);
}
let all = true;
for(const file of files) {
  const result = await verifyFile(file);
  all &&= result.verified;
  console.log(JSON.stringify(result));
}
process.exit(all ? 0 : 1);
