#!/usr/bin/env node
// Verify credentials with Digital Bazaar's @digitalbazaar/vc
// `verifyCredential()`, offline.
//
//   node interop/verify.mjs [--now ISO] FILE...
//
// Prints one JSON line per file:
//   {"file": ..., "verified": true|false, "errors": ["short message", ...]}
// Exit codes: 0 all verified, 1 any not verified, 2 usage error.
//
// verifyCredential checks the VC data model (dates against --now, default the
// current time), every proof (eddsa-rdfc-2022 and eddsa-jcs-2022
// DataIntegrityProofs, Ed25519Signature2020; other proof types are reported
// as "insufficient proofs matched"), the
// proofPurpose "assertionMethod" against the did:key document, and that the
// credential's issuer (or issuer.id) is the verification method's controller.
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';
import {documentLoader, explain, explainAll} from './loader.mjs';
import {verifyingSuites} from './suites.mjs';

const USAGE = 'usage: node interop/verify.mjs [--now ISO] FILE...';

function usage(message) {
  console.error(`verify.mjs: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

// Flatten the nested results of verifyCredential into short messages.
// Errors hide in: result.error (may be an aggregate with .errors) and
// result.results[i].error (one per proof).
function collectErrors(result) {
  const errors = [result.error];
  for(const r of result.results ?? []) {
    if(!r.verified) {
      errors.push(r.error, r.purposeResult?.error);
    }
  }
  return explainAll(errors);
}

async function verifyFile(file, now) {
  let credential;
  try {
    credential = JSON.parse(readFileSync(file, 'utf8'));
  } catch(e) {
    return {file, verified: false, errors: [`cannot read: ${e.message}`]};
  }
  try {
    const result = await vc.verifyCredential({
      credential, suite: verifyingSuites(), documentLoader, now
    });
    return {file, verified: result.verified === true,
      errors: result.verified ? [] : collectErrors(result)};
  } catch(e) {
    // verifyCredential normally reports errors in its result; a throw here
    // is still a failed verification, not a crash of the harness
    return {file, verified: false, errors: [explain(e)]};
  }
}

async function main() {
  let args;
  try {
    args = parseArgs({options: {now: {type: 'string'}},
      allowPositionals: true});
  } catch(e) {
    usage(e.message);
  }
  const {values: {now}, positionals: files} = args;
  if(files.length === 0) {
    usage('need at least one FILE');
  }
  if(now !== undefined && isNaN(new Date(now))) {
    usage(`--now "${now}" is not a date`);
  }
  let allVerified = true;
  for(const file of files) {
    const line = await verifyFile(file, now);
    allVerified &&= line.verified;
    console.log(JSON.stringify(line));
  }
  process.exit(allVerified ? 0 : 1);
}

main();
