import type { ImFileView } from '@portaldesk/protocol';
import type { Queryable } from '../storage/database.ts';
import { fullName } from '../users/user.ts';
import { CHAT_FILE_COLUMNS, type ChatFileRow, imFileView, toChatFile } from './chat-file.ts';

/** The files posted with messages, for the history and the message event. */
export class MessageFiles {
  constructor(private readonly db: Queryable) {}

  /** The files still there of these messages, oldest first. */
  ofMessages(portalId: number, messageIds: readonly number[]): Promise<ImFileView[]> {
    return this.views('f.message_id = ANY($1::bigint[])', portalId, messageIds);
  }

  /** These files, by id. */
  ofIds(portalId: number, fileIds: readonly number[]): Promise<ImFileView[]> {
    return this.views('f.id = ANY($1::int[])', portalId, fileIds);
  }

  private async views(which: string, portalId: number, ids: readonly number[]): Promise<ImFileView[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<ChatFileRow & { first_name: string; last_name: string }>(
      `SELECT ${CHAT_FILE_COLUMNS}, u.first_name, u.last_name FROM disk_files f JOIN users u ON u.id = f.author_id
       WHERE ${which} AND f.portal_id = $2 AND f.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM im_messages msg WHERE msg.id = f.message_id AND msg.deleted_at IS NOT NULL)
       ORDER BY f.id`,
      [ids, portalId],
    );
    return rows.map((r) => imFileView(toChatFile(r), fullName({ firstName: r.first_name, lastName: r.last_name })));
  }
}
