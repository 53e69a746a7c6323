// Offline JSON-LD document loader for the interop harness.
//
// It serves ONLY:
//   * the contexts bundled with mcred (../contexts/index.json), each checked
//     against the sha256 recorded there, so both implementations canonicalize
//     with byte-identical context documents;
//   * did:key Ed25519 DIDs (did:key:z6Mk...) and their verification methods
//     (did:key:z6Mk...#z6Mk...), built from the key itself.
// Every other URL is refused with an error naming it: nothing is fetched.
//
// Note: jsonld-signatures wraps any loader with its own tiny static map of the
// legacy security v1/v2 contexts (https://w3id.org/security/v1 and /v2); mcred
// does not bundle those and the suites used here never request them.
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';

const HERE = dirname(fileURLToPath(import.meta.url));
export const CONTEXTS_DIR = join(HERE, '..', 'contexts');

const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';

// Load and hash-check every bundled context once, at import time, so a
// tampered or stale file fails loudly before any signing or verifying.
function loadBundledContexts() {
  const index = JSON.parse(
    readFileSync(join(CONTEXTS_DIR, 'index.json'), 'utf8'));
  const contexts = new Map();
  for(const [url, {file, sha256}] of Object.entries(index)) {
    const bytes = readFileSync(join(CONTEXTS_DIR, file));
    const actual = createHash('sha256').update(bytes).digest('hex');
    if(actual !== sha256) {
      throw new Error(
        `Bundled context ${file} for ${url} has sha256 ${actual}, ` +
        `index.json says ${sha256}.`);
    }
    contexts.set(url, JSON.parse(bytes.toString('utf8')));
  }
  return contexts;
}

export const CONTEXTS = loadBundledContexts();

// did:key: multibase base58btc 'z' + multicodec 0xed01 (Ed25519) always
// encodes as 'z6Mk', 0x1200 (P-256) as 'zDn', 0x1201 (P-384) as 'z82'.
const DID_KEY = /^did:key:((z6Mk|zDn|z82)[1-9A-HJ-NP-Za-km-z]+)$/;

// Build the Multikey verification method for a did:key fingerprint.
async function didKeyVerificationMethod(fingerprint) {
  const did = `did:key:${fingerprint}`;
  const description = {
    id: `${did}#${fingerprint}`,
    controller: did,
    publicKeyMultibase: fingerprint
  };
  if(!fingerprint.startsWith('z6Mk')) {
    // P-256 / P-384: ecdsa-multikey decodes (and checks) the compressed point
    const key = await EcdsaMultikey.from(description);
    return key.export({publicKey: true, includeContext: true});
  }
  const key = await Ed25519Multikey.from(description);
  if(key.publicKey.length !== 32) {
    throw new Error(`did:key ${did} is not a 32-byte Ed25519 public key.`);
  }
  // {@context: multikey/v1, id, type: Multikey, controller, publicKeyMultibase}
  return key.export({publicKey: true, includeContext: true});
}

// Build the did:key DID document; the key is listed for every relationship
// (as the did:key method spec does), in particular `assertionMethod`, which
// is what ControllerProofPurpose / vc.verifyCredential checks.
async function didKeyDocument(fingerprint) {
  const vm = await didKeyVerificationMethod(fingerprint);
  const {'@context': _ctx, ...vmNoContext} = vm;
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
    id: vm.controller,
    verificationMethod: [vmNoContext],
    authentication: [vm.id],
    assertionMethod: [vm.id],
    capabilityInvocation: [vm.id],
    capabilityDelegation: [vm.id]
  };
}

function result(url, document) {
  return {contextUrl: null, documentUrl: url, document};
}

export async function documentLoader(url) {
  if(CONTEXTS.has(url)) {
    // hand out a copy so no caller can mutate the shared context
    return result(url, structuredClone(CONTEXTS.get(url)));
  }
  if(url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const match = DID_KEY.exec(did);
    if(match) {
      const fingerprint = match[1];
      if(fragment === undefined) {
        return result(url, await didKeyDocument(fingerprint));
      }
      // only the key's own fragment exists in a did:key document
      if(fragment === fingerprint) {
        return result(url, await didKeyVerificationMethod(fingerprint));
      }
    }
  }
  throw new Error(
    `Offline loader refuses "${url}": not a bundled mcred context ` +
    'nor an Ed25519, P-256 or P-384 did:key.');
}

// jsonld.js wraps loader failures in a generic "Dereferencing a URL did not
// result in a valid JSON-LD object..." error; the loader's own message is in
// error.details.cause. Return the innermost message, which names the URL.
export function explain(error) {
  let e = error;
  while(e?.details?.cause) {
    e = e.details.cause;
  }
  return e?.message ?? String(error);
}

// Short messages for errors found in a verification result, each once: an
// aggregate error (with .errors) gives its members'; missing ones are skipped.
export function explainAll(errors) {
  const messages = [];
  const add = error => {
    if(!error) {
      return;
    }
    const nested = error.errors ?? [];
    if(nested.length) {
      nested.forEach(add);
    } else {
      messages.push(explain(error));
    }
  };
  errors.forEach(add);
  return [...new Set(messages)];
}
