// Keys for the world's certificates, all ECDSA P-256 and made natively (node:crypto): one per CA
// and one shared by every leaf (Let's Encrypt issues ECDSA leaves too). A P-256 key takes well
// under a millisecond to make, where an RSA-2048 one took ~100 ms on a loaded machine: a world
// with 700 real CA subjects waited minutes for its RSA keys and timed out a third of its handshakes.
// CA keys are made synchronously: for a key this cheap the hop to the libuv pool costs more
// (700 keys: ~0.4 s in place, ~1.3 s through the pool, on a loaded 2-core machine).
import { generateKeyPair, generateKeyPairSync, sign, type KeyObject, createPrivateKey } from 'node:crypto';

/** A CA's key: what its certificate holds and what signs the certificates it issues. */
export interface WorldKey {
  /** SubjectPublicKeyInfo, DER. */
  spki: Buffer;
  /** ECDSA-with-SHA256 signature (DER Ecdsa-Sig-Value) of `data`. */
  sign(data: Buffer): Buffer;
  /** The private key, for node:crypto. */
  key: KeyObject;
}

/** Slot i+1 belongs to the world's i-th CA (slot 0 is unused: leaves share leafKey()). */
const pool = new Map<number, WorldKey>();
/**
 * CAs share this many keys, round robin: a world with 700 CAs makes 64 keys, not 700 (keys were
 * most of its start-up). Clients tell CAs apart by name and key identifier, never by key alone.
 */
export const CA_KEYS = 64;

export function worldKey(slot: number): WorldKey {
  slot = ((slot - 1) % CA_KEYS) + 1;
  let k = pool.get(slot);
  if (!k) {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    k = { spki: publicKey.export({ type: 'spki', format: 'der' }), sign: (data) => sign('sha256', data, privateKey), key: privateKey };
    pool.set(slot, k);
  }
  return k;
}

function ecKey(): Promise<{ pem: string; spki: Buffer; key: KeyObject; sign(data: Buffer): Buffer }> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'ec',
      { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
      (err, spki, pem) => {
        if (err) return reject(err);
        const key = createPrivateKey(pem);
        resolve({ pem, spki, sign: (data) => sign('sha256', data, key), key });
      },
    );
  });
}

/** The leaves' ECDSA P-256 key: PEM for the server, SPKI DER for certificates, a signer for self-signed ones. */
export interface LeafKey {
  pem: string;
  /** SubjectPublicKeyInfo, DER. */
  spki: Buffer;
  /** ECDSA-with-SHA256 signature (DER Ecdsa-Sig-Value) of `data`. */
  sign(data: Buffer): Buffer;
  /** The private key, for node:crypto. */
  key: KeyObject;
}

let leaf: Promise<LeafKey> | undefined;

export function leafKey(): Promise<LeafKey> {
  leaf ??= ecKey();
  return leaf;
}
