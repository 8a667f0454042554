// A world subject {"C": "CN", "O": "…", "CN": "…"} → a DER Name (RFC 5280 section 4.1.2.4), one
// attribute per RDN in the order given. Attribute names are those worlds use (short names, the
// names OpenSSL prints, forge's long names, dotted OIDs), so a world can copy a real CA's subject
// attribute by attribute and a client reads back the same name. Strings get the type the
// attribute wants: PrintableString when the value fits it, IA5String for e-mail and DC, else UTF8String.
import forge from 'node-forge';
import { oid, seq, set, tlv } from './der.js';

// The short names OpenSSL (and so Node) gives these attributes when it prints a name.
const OIDS: Record<string, string> = {
  CN: '2.5.4.3', SN: '2.5.4.4', serialNumber: '2.5.4.5', C: '2.5.4.6', L: '2.5.4.7', ST: '2.5.4.8', street: '2.5.4.9',
  O: '2.5.4.10', OU: '2.5.4.11', title: '2.5.4.12', description: '2.5.4.13', businessCategory: '2.5.4.15', postalCode: '2.5.4.17',
  postOfficeBox: '2.5.4.18', physicalDeliveryOfficeName: '2.5.4.19', telephoneNumber: '2.5.4.20', name: '2.5.4.41', GN: '2.5.4.42',
  initials: '2.5.4.43', generationQualifier: '2.5.4.44', dnQualifier: '2.5.4.46', houseIdentifier: '2.5.4.51', pseudonym: '2.5.4.65',
  role: '2.5.4.72', organizationIdentifier: '2.5.4.97', unstructuredName: '1.2.840.113549.1.9.2',
  E: '1.2.840.113549.1.9.1', emailAddress: '1.2.840.113549.1.9.1', DC: '0.9.2342.19200300.100.1.25', UID: '0.9.2342.19200300.100.1.1',
  jurisdictionL: '1.3.6.1.4.1.311.60.2.1.1', jurisdictionST: '1.3.6.1.4.1.311.60.2.1.2', jurisdictionC: '1.3.6.1.4.1.311.60.2.1.3',
};
const IA5 = new Set(['1.2.840.113549.1.9.1', '0.9.2342.19200300.100.1.25']);
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** The OID of an attribute name, or undefined when it has none we know (the attribute is then left out). */
export function attributeOid(name: string): string | undefined {
  if (OIDS[name]) return OIDS[name];
  if (/^\d+(\.\d+)+$/.test(name)) return name;
  const fromForge = (forge.pki.oids as Record<string, string | undefined>)[name];
  return fromForge && /^\d+(\.\d+)+$/.test(fromForge) ? fromForge : undefined;
}

function value(attrOid: string, text: string): Buffer {
  if (IA5.has(attrOid) && /^[\x00-\x7f]*$/.test(text)) return tlv(0x16, Buffer.from(text, 'latin1'));
  return PRINTABLE.test(text) ? tlv(0x13, Buffer.from(text, 'latin1')) : tlv(0x0c, Buffer.from(text, 'utf8'));
}

export function encodeName(subject: Record<string, string>): Buffer {
  const rdns: Buffer[] = [];
  for (const [k, v] of Object.entries(subject)) {
    const id = attributeOid(k);
    if (id) rdns.push(set(seq(oid(id), value(id, v))));
  }
  return seq(...rdns);
}
