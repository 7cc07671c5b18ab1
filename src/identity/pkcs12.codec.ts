/**
 * PKCS#12 (RFC 7292) keystores as TRUE Connector and Java tooling write them, read and written with node-forge. The
 * connector itself runs these in a worker thread (forge.runner.ts); tests call them directly.
 */
import forge from 'node-forge';
import { ConnectorError } from '../common/connector.error.js';

export interface KeystoreContents {
  keyPem: string;
  certPem: string;
  /** Certificates after the leaf (its issuers), if the store holds them. */
  chainPems: string[];
}

export function readPkcs12(der: Buffer, password: string, source: string): KeystoreContents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), false, password);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const hint = /mac|password|decrypt/i.test(why) ? 'wrong keystore password (FEP_KEYSTORE_PASSWORD)' : `not a PKCS#12 file (${why})`;
    throw new ConnectorError('BAD_INPUT', `Cannot open keystore ${source}: ${hint}`, 'FEP_KEYSTORE');
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined && cert !== null);
  const key = keyBags.find((bag) => bag.key)?.key;
  if (!key || certs.length === 0) {
    throw new ConnectorError('BAD_INPUT', `Keystore ${source} must hold a private key and its certificate`, 'FEP_KEYSTORE');
  }
  // The leaf is the certificate whose public key matches the private key.
  const rsaKey = key;
  const leaf = certs.find((c) => (c.publicKey as forge.pki.rsa.PublicKey).n.equals(rsaKey.n)) ?? certs[0];
  return {
    keyPem: forge.pki.privateKeyToPem(key),
    certPem: forge.pki.certificateToPem(leaf),
    chainPems: certs.filter((c) => c !== leaf).map((c) => forge.pki.certificateToPem(c)),
  };
}

/** The certificates of a PKCS#12 truststore, as PEM (a store without a key: Java's truststores). */
export function readPkcs12Certificates(der: Buffer, password: string): string[] {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), false, password);
  const bags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  return bags.flatMap((bag) => (bag.cert ? [forge.pki.certificateToPem(bag.cert)] : []));
}

export function writePkcs12(contents: KeystoreContents, password: string, friendlyName: string): Buffer {
  const key = forge.pki.privateKeyFromPem(contents.keyPem);
  const chain = [contents.certPem, ...contents.chainPems].map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, password, { algorithm: '3des', friendlyName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
