// Shared keys for the world's certificates: RSA-2048 for the CAs, one ECDSA P-256 key for every
// leaf (Let's Encrypt issues ECDSA leaves too; a P-256 signature per handshake costs the world
// ~20x less CPU than an RSA-2048 one, and the handshakes were most of the world's CPU). Key generation is native (node:crypto) and
// happens once per process per slot; CA certificates are built with node-forge but signed natively,
// because forge's pure-JS RSA would make certificate work dominate a benchmark (leaves: see der.ts).
import { constants, generateKeyPair, privateEncrypt, sign, type KeyObject, createPrivateKey } from 'node:crypto';
import forge from 'node-forge';

export interface WorldKey {
  /** PEM (PKCS#8) for tls.createSecureContext. */
  pem: string;
  /** forge public key, to put into certificates. */
  publicKey: forge.pki.rsa.PublicKey;
  /** forge-compatible signer: `cert.sign(signer, md)` calls `signer.sign(md)`. */
  signer: forge.pki.rsa.PrivateKey;
  /** The private key, for node:crypto `sign` (leaves are signed natively). */
  key: KeyObject;
}

/** Slot i+1 belongs to the world's i-th CA (slot 0 is unused: leaves share leafKey()). */
const pool = new Map<number, Promise<WorldKey>>();

export function worldKey(slot: number): Promise<WorldKey> {
  let p = pool.get(slot);
  if (!p) {
    p = makeKey();
    pool.set(slot, p);
  }
  return p;
}

// DigestInfo DER prefixes (RFC 8017 §9.2 note 1): prefix || digest is what PKCS#1 v1.5 signs.
const DIGEST_INFO: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

async function makeKey(): Promise<WorldKey> {
  const [pubPem, pem] = await new Promise<[string, string]>((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
      (err, pub, priv) => (err ? reject(err) : resolve([pub, priv])),
    );
  });
  const keyObject: KeyObject = createPrivateKey(pem);
  const publicKey = forge.pki.publicKeyFromPem(pubPem) as forge.pki.rsa.PublicKey;
  const sign = (md: forge.md.MessageDigest): forge.Bytes => {
    const prefix = DIGEST_INFO[md.algorithm];
    if (!prefix) throw new Error(`unsupported digest ${md.algorithm}`);
    const digestInfo = Buffer.concat([Buffer.from(prefix, 'hex'), Buffer.from(md.digest().getBytes(), 'binary')]);
    // RSA_PKCS1_PADDING with the private key = EMSA-PKCS1-v1_5 block type 1, i.e. a signature.
    return privateEncrypt({ key: keyObject, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
  };
  return { pem, publicKey, signer: { sign } as unknown as forge.pki.rsa.PrivateKey, key: keyObject };
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
  leaf ??= new Promise<LeafKey>((resolve, reject) => {
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
  return leaf;
}
