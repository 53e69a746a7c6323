// What the SD-JWT VC scripts share: keys and certificates from PEM files (node:crypto), the x5c chain
// check, and claim paths ("address.locality", "nationalities.1") turned into @sd-jwt's frames.
//
// @sd-jwt takes keys as JWKs and frames as nested objects; the scripts take PEM files and dotted paths,
// as mcred does (mcred present --disclose credentialSubject.given_name), so that a test can name the same
// claims to both implementations.
import {X509Certificate, createPrivateKey, createPublicKey} from 'node:crypto';
import {readFileSync} from 'node:fs';

/** The private key of a PKCS#8 or SEC1 PEM file, as a JWK (@sd-jwt/crypto-nodejs signs with it). */
export function privateJwk(path) {
  return createPrivateKey(readFileSync(path)).export({format: 'jwk'});
}

/** The public key of a PEM file (a public key, or the public half of a private key), as a JWK. */
export function publicJwk(path) {
  const {kty, crv, x, y} = createPublicKey(readFileSync(path)).export({format: 'jwk'});
  return {kty, crv, x, y};
}

/** The certificates of a PEM file, leaf first, as an x5c header wants them: standard base64 of the DER. */
export function x5cFromPem(path) {
  const blocks = readFileSync(path, 'utf8').match(
    /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  if(blocks.length === 0) {
    throw new Error(`${path}: no "-----BEGIN CERTIFICATE-----" block`);
  }
  return blocks.map(block => new X509Certificate(block).raw.toString('base64'));
}

/**
 * The x5c leaf, once each certificate is found signed by the next and the last by the anchor, and each
 * valid at `now` (seconds). @sd-jwt does not read x5c: the caller gives it the leaf's key.
 */
export function checkChain(x5c, anchor, now) {
  const certs = x5c.map(b64 => new X509Certificate(Buffer.from(b64, 'base64')));
  if(certs.length === 0) {
    throw new Error('the header has no x5c');
  }
  const when = new Date(now * 1000);
  certs.forEach((cert, i) => {
    const issuer = certs[i + 1] ?? anchor;
    if(!cert.verify(issuer.publicKey)) {
      throw new Error(`x5c[${i}] is not signed by ${i + 1 < certs.length ? `x5c[${i + 1}]` : 'the anchor'}`);
    }
    if(when < new Date(cert.validFrom) || when > new Date(cert.validTo)) {
      throw new Error(`x5c[${i}] is not valid at ${when.toISOString()}`);
    }
  });
  return certs[0];
}

/** "a,b.c" or ["a", "b.c"] -> ["a", "b.c"]: the claim paths given on the command line. */
export function claimPaths(option) {
  return [option ?? []].flat().flatMap(item => item.split(',')).map(p => p.trim()).filter(Boolean);
}

/**
 * The disclosure frame (DisclosureFrame) that makes each path selectively disclosable: the last part goes
 * into its parent's `_sd` (a number when the parent is an array), and `decoys` digests are added to every
 * object that gets an `_sd` (`_sd_decoy`, @sd-jwt's own option).
 */
export function disclosureFrame(claims, paths, decoys = 0) {
  const frame = {};
  for(const path of paths) {
    const parts = path.split('.');
    let node = frame;
    let value = claims;
    for(const part of parts.slice(0, -1)) {
      value = value?.[part];
      node = node[part] ??= {};
    }
    const last = parts.at(-1);
    if(value === undefined || !(last in Object(value))) {
      throw new Error(`the claims have no ${path} to make selectively disclosable`);
    }
    (node._sd ??= []).push(Array.isArray(value) ? Number(last) : last);
  }
  if(decoys > 0) {
    addDecoys(frame, decoys);
  }
  return frame;
}

function addDecoys(frame, decoys) {
  if(frame._sd && !frame._sd.some(key => typeof key === 'number')) {
    frame._sd_decoy = decoys;  // decoys in an array would be extra elements: only objects get them
  }
  for(const [key, child] of Object.entries(frame)) {
    if(key !== '_sd' && typeof child === 'object') {
      addDecoys(child, decoys);
    }
  }
}

/** The presentation frame (PresentationFrame) that shows each path: {address: {locality: true}}. */
export function presentationFrame(paths) {
  const frame = {};
  for(const path of paths) {
    const parts = path.split('.');
    let node = frame;
    for(const part of parts.slice(0, -1)) {
      node = node[part] = typeof node[part] === 'object' ? node[part] : {};
    }
    node[parts.at(-1)] ??= true;
  }
  return frame;
}
