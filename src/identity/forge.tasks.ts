/**
 * The identity work that needs node-forge (PKCS#12, certificate issuing), as tasks a short-lived worker thread runs
 * (forge.worker.ts, started by forge.runner.ts): forge's code and data live in the worker's heap and go with it,
 * instead of staying resident in the connector's main heap for its whole life after one keystore read at boot
 * (`npm run bench`, IDS exchange: the idle RSS).
 */
import type { IssueOptions, KeyAndCert } from './dev-pki.js';
import type { KeystoreContents } from './pkcs12.codec.js';

export interface ForgeTasks {
  /** The key, certificate and chain of a PKCS#12 keystore. */
  readPkcs12: { args: { der: Uint8Array; password: string; source: string }; result: KeystoreContents };
  /** The CA certificates of a PKCS#12 truststore. */
  readTruststore: { args: { der: Uint8Array; password: string; source: string }; result: string[] };
  /** A new development CA. */
  createDevCa: { args: { commonName: string }; result: KeyAndCert };
  /** A certificate issued by the dev CA, and the keystore that holds it with the CA's certificate. */
  issueDevIdentity: { args: { ca: KeyAndCert; subject: IssueOptions; password: string }; result: { leaf: KeyAndCert; p12: Uint8Array } };
}

export type ForgeTask = keyof ForgeTasks;

/** What the worker is given, and what it answers: the result, or the error as plain data. */
export interface ForgeRequest<T extends ForgeTask = ForgeTask> {
  task: T;
  args: ForgeTasks[T]['args'];
}

export type ForgeReply<T extends ForgeTask = ForgeTask> =
  { ok: true; result: ForgeTasks[T]['result'] } | { ok: false; error: { name: string; message: string; code?: string; field?: string } };
