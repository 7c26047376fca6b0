import assert from 'node:assert/strict';
import type { ParleyApp } from '../../../src/http/types.js';

/** Small JSON helpers over app.inject for one API key. */
export function api(app: ParleyApp, authorization: string) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  return {
    call,
    async ok(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, status?: number) {
      const res = await call(method, url, payload);
      assert.ok(res.status >= 200 && res.status < 300 && (status === undefined || res.status === status), `${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async fails(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload: unknown, status: number, code: string) {
      const res = await call(method, url, payload);
      assert.equal(res.status, status, `${method} ${url}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code);
      return res.body.error;
    },
  };
}

export const orderConfirmation = (over: Record<string, unknown> = {}) => ({
  wabaId: '102290129340398',
  name: 'order_confirmation',
  language: 'en-US',
  category: 'UTILITY',
  components: [
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is confirmed. Buy now and get 10% off your next order!', example: { body_text: [['Asha', 'A123']] } },
    { type: 'FOOTER', text: 'Lucky Shrub' },
  ],
  ...over,
});
