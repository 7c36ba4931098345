import type { Queryable } from '../../storage/database.ts';

export interface OutgoingEmail {
  recipient: string;
  kind: 'verify-email' | 'portal-invitation';
  subject: string;
  /** The one link the message is about; it carries the message's secret token. */
  link: string;
}

/**
 * Mail the Network sends, queued in a table. A mail transport (not built yet) drains it; tests
 * read it to follow the links a person would click.
 */
export class EmailOutbox {
  constructor(private readonly db: Queryable) {}

  async enqueue(mail: OutgoingEmail): Promise<void> {
    await this.db.query('INSERT INTO network_email_outbox (recipient, kind, subject, link) VALUES ($1, $2, $3, $4)', [
      mail.recipient,
      mail.kind,
      mail.subject,
      mail.link,
    ]);
  }

  async sentTo(recipient: string): Promise<OutgoingEmail[]> {
    return this.db.query<OutgoingEmail>(
      'SELECT recipient, kind, subject, link FROM network_email_outbox WHERE recipient = $1 ORDER BY id',
      [recipient],
    );
  }
}
