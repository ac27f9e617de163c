/** The `email` channel: the alert's title and text to the recipient's address, through the configured mailer. */
import { and, eq, isNull } from 'drizzle-orm';
import { escapeHtml, type Mailer } from '../company/mailer';
import type { Db } from '../db/database';
import { users } from '../db/schema';
import { DeliveryFailed, type DeliverySender, recipientUserId } from './delivery-sender';

export const EMAIL_NOT_CONFIGURED = 'e-mail is not configured';

/**
 * How long the worker waits for the mail server. nodemailer's own timeouts run
 * to minutes, longer than the worker's lease and its shutdown; past this the
 * attempt counts as failed (the server may still deliver it late, so a retry
 * can then arrive twice — rare, and harmless for a notice).
 */
export const EMAIL_TIMEOUT_MS = 30_000;

export interface EmailSenderOptions {
  /** Absent without `SMTP_URL`: every e-mail delivery then fails with a reason the office can act on. */
  mailer: Mailer | undefined;
  /** `PUBLIC_URL`: the base of the link to the job. Without it the mail carries no link (the worker has no request to take an origin from). */
  publicUrl: string | undefined;
  timeoutMs?: number;
}

export function createEmailSender(db: Db, options: EmailSenderOptions): DeliverySender {
  return {
    async send(delivery) {
      if (!options.mailer) throw new DeliveryFailed(EMAIL_NOT_CONFIGURED);
      const userId = recipientUserId(delivery.recipient);
      if (!userId) throw new DeliveryFailed('The recipient is not a person.');
      const [person] = await db
        .select({ email: users.email, active: users.active })
        .from(users)
        .where(and(eq(users.orgId, delivery.orgId), eq(users.id, userId), isNull(users.deletedAt)));
      if (!person) throw new DeliveryFailed('This person is no longer in the company.');
      if (!person.active) throw new DeliveryFailed("This person's account is turned off.");

      const { title, body, url } = delivery.payload;
      const link = url && options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}${url}` : undefined;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new DeliveryFailed('The mail server did not answer in time.')),
          options.timeoutMs ?? EMAIL_TIMEOUT_MS,
        );
      });
      const sent = options.mailer.send({
        to: person.email,
        subject: title,
        text: link ? `${body}\n\n${link}` : body,
        html: `<p>${escapeHtml(body).replaceAll('\n', '<br>')}</p>${
          link ? `<p><a href="${escapeHtml(link)}">Open in Fieldsync</a></p>` : ''
        }`,
      });
      try {
        await Promise.race([sent, timedOut]);
      } catch (error) {
        if (error instanceof DeliveryFailed) throw error;
        throw new DeliveryFailed('The mail server did not take the message.', { cause: error });
      } finally {
        clearTimeout(timer);
        // A send that lost the race may still fail later; nobody is waiting for it then.
        sent.catch(() => {});
      }
    },
  };
}
