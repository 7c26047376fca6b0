import { it } from 'node:test';
import assert from 'node:assert/strict';
import { checkTargetUrl, isPrivateAddress } from './target-policy.js';

it('refuses private, loopback, link-local and reserved addresses, including IPv4 inside IPv6', () => {
  for (const address of ['10.1.2.3', '127.0.0.1', '169.254.169.254', '172.20.0.1', '192.168.1.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::10.0.0.1', '[::1]']) {
    assert.equal(isPrivateAddress(address), true, address);
  }
  for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPrivateAddress(address), false, address);
});

it('checks subscription URLs: scheme, credentials, loopback names and private literals unless allowed', () => {
  assert.equal(checkTargetUrl('https://crm.example.com/hook', false).ok, true);
  assert.deepEqual(checkTargetUrl('ftp://x.example.com', false).ok, false);
  const local = checkTargetUrl('http://localhost:3000/x', false);
  assert.equal(local.ok === false && local.code, 'EVENT_TARGET_FORBIDDEN');
  const metadata = checkTargetUrl('http://169.254.169.254/latest', false);
  assert.equal(metadata.ok === false && metadata.code, 'EVENT_TARGET_FORBIDDEN');
  assert.equal(checkTargetUrl('http://[::1]:8080/', false).ok, false);
  assert.equal(checkTargetUrl('http://127.0.0.1:3000/x', true).ok, true, 'allowed by the operator');
  const creds = checkTargetUrl('https://user:pw@example.com/', true);
  assert.equal(creds.ok === false && creds.code, 'EVENT_TARGET_INVALID');
});
