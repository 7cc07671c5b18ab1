import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forbiddenAddress, forbiddenDestination } from './address.check.js';

describe('address check (where a partner may make this node send requests)', () => {
  const own = new Set(['10.1.2.3', 'fd00::5']);
  it('refuses loopback, link-local, unspecified, multicast and the node’s own addresses, in both families', () => {
    for (const address of [
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '::ffff:127.0.0.1',
      '169.254.169.254',
      'fe80::1',
      '0.0.0.0',
      '::',
      '224.0.0.1',
      'ff02::1',
      '10.1.2.3',
      'fd00::5',
    ]) {
      assert.ok(forbiddenAddress(address, own) !== undefined, address);
    }
  });
  it('lets other addresses through', () => {
    for (const address of ['10.1.2.4', '192.0.2.10', '2001:db8::1', '::ffff:192.0.2.1']) {
      assert.equal(forbiddenAddress(address, own), undefined, address);
    }
  });
  it('resolves names (and FEP_RESOLVE aliases) before judging', async () => {
    assert.match((await forbiddenDestination('http://localhost:8080/data')) ?? '', /loopback/);
    assert.match((await forbiddenDestination('http://partner:8080/data', { aliases: { partner: '127.0.0.1' } })) ?? '', /loopback/);
    assert.equal(await forbiddenDestination('http://partner:8080/data', { aliases: { partner: '192.0.2.7' } }), undefined);
    assert.match((await forbiddenDestination('https://[::1]:8443/data')) ?? '', /loopback/);
    assert.match((await forbiddenDestination('http://no-such-host.invalid/data')) ?? '', /does not resolve/);
  });
  it('with private addresses allowed (nodes sharing a host), still never this node’s own ports', async () => {
    const rules = { allowPrivate: true, ownPorts: [8443, 9443] };
    assert.equal(await forbiddenDestination('http://127.0.0.1:8080/data', rules), undefined);
    assert.match((await forbiddenDestination('https://127.0.0.1:8443/platoontec/x', rules)) ?? '', /this node itself/);
    assert.match((await forbiddenDestination('https://localhost:9443/', rules)) ?? '', /this node itself/);
    assert.match((await forbiddenDestination('http://0.0.0.0:8443/', rules)) ?? '', /this node itself/);
  });
});
