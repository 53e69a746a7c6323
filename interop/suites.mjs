// The proof suites the harness knows, shared by sign.mjs and verify.mjs.
// Signing: the three DataIntegrityProof cryptosuites (ecdsa-rdfc-2019 with a
// P-256 or P-384 key). Verifying: those three plus the older
// Ed25519Signature2020 (the W3C vc-di-eddsa vectors include one).
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createSignCryptosuite, createVerifyCryptosuite} from
  '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from
  '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';

export const SUITE_NAMES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022',
  'ecdsa-rdfc-2019'];

// A suite that can sign: `signer` comes from an Ed25519Multikey key pair and
// `date` becomes proof.created (undefined = now).
export function signingSuite({name, signer, date}) {
  if(name === 'eddsa-rdfc-2022') {
    return new DataIntegrityProof({signer, date, cryptosuite: eddsaRdfc2022});
  }
  if(name === 'ecdsa-rdfc-2019') {
    // the signer's algorithm (P-256 / P-384) picks SHA-256 / SHA-384
    return new DataIntegrityProof({signer, date, cryptosuite: ecdsaRdfc2019});
  }
  if(name === 'eddsa-jcs-2022') {
    // the JCS package has distinct sign/verify variants (they differ in how
    // proof.@context is set versus checked)
    return new DataIntegrityProof(
      {signer, date, cryptosuite: createSignCryptosuite()});
  }
  throw new Error(`Unknown suite "${name}"; use one of ${SUITE_NAMES}.`);
}

// Suites for verification: jsonld-signatures picks the one whose
// type (+ cryptosuite) matches each proof. Ed25519Signature2020 5.x accepts
// the Multikey verification methods our did:key loader returns, and loads
// its suite context through our loader (mcred bundles ed25519-2020/v1).
export function verifyingSuites() {
  return [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()}),
    new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
    new Ed25519Signature2020()
  ];
}
