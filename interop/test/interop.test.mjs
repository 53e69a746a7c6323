// Self-test of the harness (run: `npm test` in interop/). It drives the two
// CLIs exactly as a user would, against the W3C vc-di-eddsa test vectors and,
// when present, the shared ELM microcredential sample.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {
  existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync
} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {documentLoader} from '../loader.mjs';

const INTEROP = join(dirname(fileURLToPath(import.meta.url)), '..');
const VECTORS = join(INTEROP, '..', 'tests', 'vectors', 'w3c-vc-di-eddsa',
  'TestVectors');
const KEY = join(VECTORS, 'keyPair.json');
const CREATED = '2023-02-24T23:36:38Z';
const DID = 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2';
// shared/ sits beside the repository's work tree
const ELM_SAMPLE = join(INTEROP, '..', '..', 'shared', 'elm', 'samples',
  'mcred-microcredential-sample.json');
const TMP = mkdtempSync(join(tmpdir(), 'mcred-interop-'));
const SUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'];
after(() => rmSync(TMP, {recursive: true, force: true}));

const readJson = f => JSON.parse(readFileSync(f, 'utf8'));

function writeTmp(name, json) {
  const file = join(TMP, name);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

function sign(suite, inFile, created = CREATED) {
  const out = join(TMP, `signed-${suite}-${Date.now()}-${Math.random()}.json`);
  execFileSync('node', [join(INTEROP, 'sign.mjs'), '--suite', suite,
    '--key', KEY, '--created', created, inFile, out], {stdio: 'pipe'});
  return out;
}

function verify(...files) {
  const r = spawnSync('node', [join(INTEROP, 'verify.mjs'), ...files],
    {encoding: 'utf8'});
  const lines = r.stdout.trim().split('\n').filter(Boolean).map(JSON.parse);
  return {status: r.status, lines};
}

test('loader refuses unknown URLs and builds did:key documents', async () => {
  await assert.rejects(documentLoader('https://example.org/ctx'),
    /refuses "https:\/\/example.org\/ctx"/);
  const {document: vm} = await documentLoader(`${DID}#${DID.slice(8)}`);
  assert.deepEqual(vm, {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: `${DID}#${DID.slice(8)}`, type: 'Multikey', controller: DID,
    publicKeyMultibase: DID.slice(8)
  });
  const {document: doc} = await documentLoader(DID);
  assert.deepEqual(doc.assertionMethod, [vm.id]);
});

test('signing unsigned.json reproduces the W3C vectors exactly', () => {
  const expected = {
    'eddsa-rdfc-2022': join(VECTORS, 'eddsa-rdfc-2022', 'signedDataInt.json'),
    'eddsa-jcs-2022': join(VECTORS, 'eddsa-jcs-2022', 'signedJCS.json')
  };
  for(const suite of SUITES) {
    const ours = readJson(sign(suite, join(VECTORS, 'unsigned.json')));
    assert.deepEqual(ours, readJson(expected[suite]), suite);
  }
});

test('did:key-issued VC 2.0 credential signs, verifies, detects tampering',
  () => {
    const unsigned = {...readJson(join(VECTORS, 'unsigned.json')), issuer: DID};
    const inFile = writeTmp('unsigned-didkey.json', unsigned);
    for(const suite of SUITES) {
      const signed = sign(suite, inFile);
      assert.deepEqual(verify(signed),
        {status: 0, lines: [{file: signed, verified: true, errors: []}]});
      const tampered = readJson(signed);
      tampered.credentialSubject.alumniOf = 'Another School';
      const bad = writeTmp(`tampered-${suite}.json`, tampered);
      assert.equal(verify(bad).status, 1, suite);
    }
  });

test('vector proofs are valid; only the issuer check fails', () => {
  const {status, lines} = verify(
    join(VECTORS, 'eddsa-rdfc-2022', 'signedDataInt.json'),
    join(VECTORS, 'eddsa-jcs-2022', 'signedJCS.json'),
    join(VECTORS, 'Ed25519Signature2020', 'signedEdSig.json'));
  assert.equal(status, 1);
  for(const line of lines) {
    assert.deepEqual(line.errors,
      ['Credential issuer must match the verification method controller.']);
  }
});

test('ELM EDC VC 1.1 microcredential signs and verifies',
  {skip: !existsSync(ELM_SAMPLE) && 'shared ELM sample not present'}, () => {
    const credential = readJson(ELM_SAMPLE);
    credential['@context'].push('https://w3id.org/security/data-integrity/v2');
    credential.issuer = {...credential.issuer, id: DID};
    const inFile = writeTmp('elm-didkey.json', credential);
    for(const suite of SUITES) {
      const signed = sign(suite, inFile, '2026-07-01T00:00:00Z');
      assert.equal(verify(signed).status, 0, suite);
    }
  });
