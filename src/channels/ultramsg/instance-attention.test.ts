import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { instanceAttention } from './instance-attention.js';

describe('UltraMsg instance attention', () => {
  it('only an authenticated instance sends; each other status says what to do', () => {
    assert.equal(instanceAttention({ status: 'authenticated', substatus: 'connected' }, 'snd_1'), null);
    assert.equal(instanceAttention({ status: 'Authenticated ', substatus: '' }, 'snd_1'), null);
    assert.match(instanceAttention({ status: 'qr', substatus: 'normal' }, 'snd_1')!, /scan the QR code from GET \/v1\/senders\/snd_1\/qr/);
    assert.match(instanceAttention({ status: 'got qr code', substatus: '' }, 'snd_1')!, /scan the QR code/);
    assert.match(instanceAttention({ status: 'loading', substatus: 'normal' }, 'snd_1')!, /starting/);
    assert.match(instanceAttention({ status: 'standby', substatus: 'normal' }, 'snd_1')!, /bring the linked phone online/);
    assert.match(instanceAttention({ status: 'disconnected', substatus: 'normal' }, 'snd_1')!, /messages wait in the queue/);
    assert.match(instanceAttention({ status: 'something new', substatus: '' }, 'snd_1')!, /not authenticated \(status "something new"\)/, 'an unknown status holds too, and is named');
  });
});
