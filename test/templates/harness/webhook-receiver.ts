import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParleyContext } from '../../../src/runtime/context.js';
import { deliver } from './setup.js';

/**
 * Stands in for webhook ingestion (src/webhooks/, not on main yet) in tests against the emulator: receives
 * the emulator's Cloud webhooks and turns template status and quality changes into the `template.status`
 * and `template.quality` domain events, delivered to the registered handlers.
 */
export class TemplateWebhookReceiver {
  url = '';
  readonly errors: unknown[] = [];
  received = 0;
  #server?: Server;

  constructor(private readonly ctx: ParleyContext) {}

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.#handle(Buffer.concat(chunks).toString('utf8'))
          .catch((error) => this.errors.push(error))
          .finally(() => {
            res.writeHead(200);
            res.end();
          });
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}/webhooks/whatsapp/cloud`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  async #handle(text: string): Promise<void> {
    // Template ids are numbers in these payloads; keep long ones exact.
    const payload = JSON.parse(text.replace(/("message_template_id"\s*:\s*)(\d+)/g, '$1"$2"'));
    for (const entry of payload.entry ?? []) {
      for (const change of entry.changes ?? []) {
        const value = change.value;
        this.received++;
        if (change.field === 'message_template_status_update') {
          await deliver(this.ctx, {
            type: 'template.status', wabaId: String(entry.id), templateId: String(value.message_template_id), name: value.message_template_name,
            language: value.message_template_language, event: value.event, reason: value.reason ?? null, detail: value, at: Number(entry.time) * 1000,
          });
        } else if (change.field === 'message_template_quality_update') {
          await deliver(this.ctx, {
            type: 'template.quality', wabaId: String(entry.id), templateId: String(value.message_template_id), name: value.message_template_name,
            language: value.message_template_language, previousScore: value.previous_quality_score, newScore: value.new_quality_score, at: Number(entry.time) * 1000,
          });
        }
      }
    }
  }
}
