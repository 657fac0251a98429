import { SmtpEmailSender, type EmailSender } from './email.channel';
import { OutboxEmailSender } from './outbox-email';

/** Where email goes: an SMTP server, or an outbox directory (development, demos). */
export type EmailDelivery = { smtpUrl: string; from: string } | { outboxDir: string; from: string };

export function createEmailSender(delivery: EmailDelivery): EmailSender {
  return 'smtpUrl' in delivery ? new SmtpEmailSender({ url: delivery.smtpUrl, from: delivery.from }) : new OutboxEmailSender({ dir: delivery.outboxDir, from: delivery.from });
}
