import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** A stable Message-ID lets mail systems drop a copy sent twice after a crash. */
  messageId?: string;
}

/** What nodemailer sends for `email`, from `from`. */
export function mailMessage(from: string, email: OutgoingEmail): SendMailOptions {
  return {
    from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: email.headers,
    ...(email.messageId ? { messageId: email.messageId } : {}),
  };
}

/** The email channel's port: resolves once the SMTP server accepted the message. */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export interface SmtpEmailSenderOptions {
  /** e.g. smtp://user:pass@mail.example:587 or smtps://...; nodemailer's URL format. */
  url: string;
  /** From header, e.g. `Case Status <no-reply@case-status.example>`. */
  from: string;
  /** Socket, greeting and connection timeouts. */
  timeoutMs?: number;
}

export class SmtpEmailSender implements EmailSender {
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpEmailSenderOptions) {
    const timeout = options.timeoutMs ?? 30_000;
    const url = new URL(options.url);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new TypeError(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
    this.transport = createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(email: OutgoingEmail): Promise<void> {
    await this.transport.sendMail(mailMessage(this.options.from, email));
  }

  close(): void {
    this.transport.close();
  }
}
