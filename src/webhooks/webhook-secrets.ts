import type { Config } from '../config/load.js';
import { constantTimeEqual, verifyHubSignature } from './signature.js';

/**
 * The secrets that authenticate Cloud API webhooks: Meta app secrets (signatures of deliveries) and
 * verify tokens (the subscription handshake). Built from configuration; the composition root may add more
 * while running: the built-in emulator generates its own app secret at start and registers it here
 * (`webhookServicesFor(ctx).secrets.addAppSecret(secret)`).
 */
export class WebhookSecrets {
  #appSecrets: Buffer[] = [];
  #verifyTokens: string[] = [];

  static fromConfig(config: Pick<Config, 'whatsappAppSecrets' | 'whatsappVerifyToken'>): WebhookSecrets {
    const secrets = new WebhookSecrets();
    for (const secret of (config.whatsappAppSecrets ?? '').split(',')) if (secret.trim()) secrets.addAppSecret(secret.trim());
    if (config.whatsappVerifyToken) secrets.addVerifyToken(config.whatsappVerifyToken);
    return secrets;
  }

  /** Accepts deliveries signed with `secret` from now on (idempotent). */
  addAppSecret(secret: string): void {
    if (!secret) throw new Error('An app secret cannot be empty.');
    const bytes = Buffer.from(secret, 'utf8');
    if (!this.#appSecrets.some((s) => s.equals(bytes))) this.#appSecrets.push(bytes);
  }

  /** Answers the verification handshake for `token` from now on (idempotent). */
  addVerifyToken(token: string): void {
    if (!token) throw new Error('A verify token cannot be empty.');
    if (!this.#verifyTokens.includes(token)) this.#verifyTokens.push(token);
  }

  get appSecretCount(): number {
    return this.#appSecrets.length;
  }

  verifySignature(body: Buffer, header: string | undefined): boolean {
    return verifyHubSignature(body, header, this.#appSecrets);
  }

  matchesVerifyToken(token: string | undefined): boolean {
    if (token === undefined) return false;
    let ok = false;
    for (const known of this.#verifyTokens) if (constantTimeEqual(known, token)) ok = true;
    return ok;
  }
}
