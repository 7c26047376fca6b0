import { createTransport, type Transporter } from 'nodemailer';
import type { Config } from '../config/load.js';
import type { Logger } from '../observability/logger.js';

export interface InvitationMail {
  to: string;
  url: string;
  expiresAt: number;
  workspaceName: string;
}

/**
 * Sends invitation emails through PARLEY_SMTP_URL, when it is set. A mail that cannot be sent is
 * logged (without the link) and reported to the admin, who has the link in the answer anyway.
 */
export class InvitationMailer {
  readonly #transport: Transporter;
  readonly #from: string;
  readonly #logger: Logger;

  private constructor(transport: Transporter, from: string, logger: Logger) {
    this.#transport = transport;
    this.#from = from;
    this.#logger = logger;
  }

  /** A mailer when SMTP is configured, else undefined. */
  static fromConfig(config: Config, logger: Logger): InvitationMailer | undefined {
    return config.smtpUrl ? new InvitationMailer(createTransport(config.smtpUrl), config.smtpFrom, logger) : undefined;
  }

  /** Whether the mail was accepted by the mail server. */
  async send(mail: InvitationMail): Promise<boolean> {
    try {
      await this.#transport.sendMail({
        from: this.#from,
        to: mail.to,
        subject: `You are invited to ${mail.workspaceName} on Parley`,
        text: [
          `You are invited to the workspace ${mail.workspaceName} on Parley.`,
          '',
          `Open this link to choose your password (it works once, until ${new Date(mail.expiresAt).toUTCString()}):`,
          mail.url,
        ].join('\n'),
      });
      return true;
    } catch (err) {
      this.#logger.warn({ err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'invitation email not sent');
      return false;
    }
  }

  close(): void {
    this.#transport.close();
  }
}
