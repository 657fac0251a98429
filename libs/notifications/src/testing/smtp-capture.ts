import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseEmail, type ParsedEmail } from './mime';
import { Conditions } from './conditions';

export interface CapturedEmail extends ParsedEmail {
  to: string[];
  raw: string;
}

/**
 * A real SMTP server (the smtp-server package) on a free local port that keeps every message
 * it accepts. `failNext(n)` answers the next n messages with a 451 temporary failure;
 * `refuse(address)` refuses that recipient for good, quoting it as mail servers do
 * (`550 5.1.1 <address>: Recipient address rejected`).
 */
export class SmtpCapture {
  readonly messages: CapturedEmail[] = [];
  private server: SMTPServer | undefined;
  private failures = 0;
  private readonly refused = new Set<string>();
  private readonly conditions = new Conditions();
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.refused.has(address.address)) return callback();
        const error = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.failures > 0) {
            this.failures--;
            const error = new Error('Temporary failure, try again') as Error & { responseCode: number };
            error.responseCode = 451;
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          this.messages.push({ ...parseEmail(raw), raw, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
          this.conditions.check();
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  failNext(count: number): void {
    this.failures = count;
  }

  refuse(address: string): void {
    this.refused.add(address);
  }

  to(address: string): CapturedEmail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  /** Resolves once `count` messages to `address` were accepted. */
  waitFor(address: string, count: number): Promise<CapturedEmail[]> {
    return this.until(() => this.to(address).length >= count).then(() => this.to(address));
  }

  until(predicate: () => boolean): Promise<void> {
    return this.conditions.until(predicate);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
