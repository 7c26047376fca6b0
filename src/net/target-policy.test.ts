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

it('classifies the host the WHATWG parser reads: trailing dots, IPv4 inside IPv6 in any form, numeric IPv4 forms', () => {
  for (const raw of [
    'http://LOCALHOST./',
    'http://localhost../x',
    'http://api.localhost/x',
    'http://[::127.0.0.1]/',
    'http://[::7f00:1]/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:0:a00:1]/',
    'http://[64:ff9b::169.254.169.254]/',
    'http://[fec0::1]/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://017700000001/',
    'http://printer.local/',
    'http://db.internal/',
    'http://255.255.255.255/',
    'http://192.0.2.10/',
    'http://[2001:db8::1]/',
  ]) {
    const check = checkTargetUrl(raw, false);
    assert.equal(check.ok === false && check.code, 'EVENT_TARGET_FORBIDDEN', raw);
  }
  for (const raw of ['http:///x', 'http:/x.example.com', 'http:\\\\x.example.com/', 'https:crm.example.com', 'http://@crm.example.com/']) {
    const check = checkTargetUrl(raw, false);
    assert.equal(check.ok === false && check.code, 'EVENT_TARGET_INVALID', raw);
  }
  for (const raw of ['https://crm.example.com./hook', 'http://[2606:4700:4700::1111]/', 'https://8.8.8.8/', 'http://[::ffff:8.8.8.8]/']) assert.equal(checkTargetUrl(raw, false).ok, true, raw);
  assert.equal(checkTargetUrl('http:///x', true).ok, false, 'a URL without a host is refused even when private targets are allowed');
});
