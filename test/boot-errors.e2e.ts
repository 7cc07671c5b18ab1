import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import forge from 'node-forge';
import { NODE_FLAGS } from '../src/common/node.flags.js';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { writePkcs12 } from '../src/identity/pkcs12.codec.js';
import { startConnectorProcess } from './support/connector.process.js';
import { freePort } from './support/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'fep-boot-'));

/** Runs the connector as an operator does (`node dist/main.js`) until it exits; its output and exit code. */
function runToExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...NODE_FLAGS, join(PROJECT_ROOT, 'dist-test', 'src', 'main.js')], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const baseEnv = async (name: string): Promise<Record<string, string>> => {
  const port = await freePort();
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    FEP_TLS: 'false',
    FEP_PUBLIC_URL: `http://127.0.0.1:${port}`,
    FEP_DATA_DIR: join(dir, name, 'data'),
    FEP_CERTS_DIR: join(dir, name, 'certs'),
    FEP_ADMIN_PASSWORD: 'x',
  };
};

/** One line of text for the operator, no stack trace, and nothing claiming it started. */
function assertOneMessage(output: string, pattern: RegExp): void {
  assert.match(output, pattern);
  assert.doesNotMatch(output, /^\s+at /m, `no stack trace:\n${output}`);
  assert.doesNotMatch(output, /successfully started|listening on/, output);
}

describe('boot errors an operator can act on: one message each (e2e, separate processes)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a certificate without SubjectKeyIdentifier/AuthorityKeyIdentifier', async () => {
    // Hardening finding 18: this was a stack trace after "successfully started".
    const keys = forge.pki.rsa.generateKeyPair(2048);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    const subject = [{ name: 'commonName', value: 'no-extensions' }];
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([{ name: 'basicConstraints', cA: false }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const keystore = join(dir, 'plain.p12');
    writeFileSync(
      keystore,
      writePkcs12(
        { keyPem: forge.pki.privateKeyToPem(keys.privateKey), certPem: forge.pki.certificateToPem(cert), chainPems: [] },
        'pw',
        'plain',
      ),
    );
    const { code, output } = await runToExit({
      ...(await baseEnv('ski')),
      FEP_DAPS_MODE: 'dev',
      FEP_KEYSTORE: keystore,
      FEP_KEYSTORE_PASSWORD: 'pw',
    });
    assert.equal(code, 1);
    assertOneMessage(
      output,
      /the connector certificate from .*plain\.p12 cannot be used with a DAPS: the certificate lacks the SubjectKeyIdentifier or AuthorityKeyIdentifier/,
    );
  });

  it('a port already in use', async () => {
    const env = await baseEnv('port');
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(Number(env['PORT']), '127.0.0.1', resolve));
    try {
      const { code, output } = await runToExit({ ...env, FEP_DAPS_MODE: 'dev' });
      assert.equal(code, 1);
      assertOneMessage(output, new RegExp(`port ${env['PORT']} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      squatter.close();
    }
  });

  it('no DAPS mode chosen: the settings to give, in one message', async () => {
    // Hardening finding 7: a container started without settings used to serve the development DAPS.
    const { code, output } = await runToExit(await baseEnv('nodaps'));
    assert.equal(code, 1);
    assertOneMessage(
      output,
      /Invalid configuration \(1 problem\):\n\s+- FEP_DAPS_MODE is not set: for a real DAPS set FEP_DAPS_MODE=omejdn and FEP_DAPS_ISSUER/,
    );
  });

  it("logs the connector's DAPS client id (SKI:keyid:AKI) at boot", async () => {
    const env = await baseEnv('clientid');
    const started = await startConnectorProcess({ ...env, FEP_DAPS_MODE: 'dev' }, env['FEP_CERTS_DIR']);
    try {
      assert.match(started.log(), /Client id ([0-9A-F]{2}:)+keyid:([0-9A-F]{2}:)*[0-9A-F]{2}/);
    } finally {
      await started.stop();
    }
  });
});
