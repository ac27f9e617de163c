import nodemailer from 'nodemailer';

/** One e-mail: plain text for every reader, simple HTML for those that show it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends e-mail. `send` resolves once the server accepted the message and
 * throws when it could not be handed over (server down, refused, bad
 * address): callers decide whether that fails their own work.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A mailer over SMTP (`smtp://user:password@host:587`, `smtps://…`), sending from `from`. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}

/** Escapes text for an HTML body: names and company names are typed by people. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
