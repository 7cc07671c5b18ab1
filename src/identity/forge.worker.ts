/**
 * The worker thread's side of forge.runner.ts: runs one node-forge task (forge.tasks.ts) and answers with its result,
 * or with the error as plain data (a ConnectorError keeps its code and field across the thread boundary).
 */
import { ConnectorError } from '../common/connector.error.js';
import { createDevCa, issueCertificate } from './dev-pki.js';
import type { ForgeReply, ForgeRequest, ForgeTask, ForgeTasks } from './forge.tasks.js';
import { readPkcs12, readPkcs12Certificates, writePkcs12 } from './pkcs12.codec.js';

const tasks: { [T in ForgeTask]: (args: ForgeTasks[T]['args']) => ForgeTasks[T]['result'] } = {
  readPkcs12: ({ der, password, source }) => readPkcs12(Buffer.from(der), password, source),
  readTruststore: ({ der, password }) => readPkcs12Certificates(Buffer.from(der), password),
  createDevCa: ({ commonName }) => createDevCa(commonName),
  issueDevIdentity: ({ ca, subject, password }) => {
    const leaf = issueCertificate(ca, subject);
    return { leaf, p12: writePkcs12({ ...leaf, chainPems: [ca.certPem] }, password, 'connector') };
  },
};

export default function run({ task, args }: ForgeRequest): ForgeReply {
  try {
    return { ok: true, result: (tasks[task] as (a: typeof args) => ForgeTasks[ForgeTask]['result'])(args) };
  } catch (error) {
    return {
      ok: false,
      error: {
        name: error instanceof Error ? error.name : 'Error',
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof ConnectorError ? { code: error.code, ...(error.field === undefined ? {} : { field: error.field }) } : {}),
      },
    };
  }
}
