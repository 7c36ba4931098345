import { z } from 'zod';

/**
 * The flags of a message's params the screens show. Bitrix24 sends an empty params object as `[]`
 * (a PHP array), which means no flags.
 */
export interface MessageFlags {
  IS_EDITED?: string;
  IS_DELETED?: string;
  /** The message this one answers (`REPLY_ID` of `im.message.add`). */
  REPLY_ID?: number;
  /** A forwarded message: who wrote the original (`im.message.forward`). */
  FORWARD_USER_ID?: number;
  /** Files posted with the message (`im.disk.file.commit`). */
  FILE_ID?: number[];
}
export const MessageFlagsSchema: z.ZodType<MessageFlags, unknown> = z.union([
  z.looseObject({
    IS_EDITED: z.string().optional(),
    IS_DELETED: z.string().optional(),
    // A reply to a message that cannot be read as an id is shown as a plain message.
    REPLY_ID: z.coerce.number().int().positive().optional().catch(undefined),
    FORWARD_USER_ID: z.coerce.number().int().positive().optional().catch(undefined),
    FILE_ID: z.array(z.coerce.number().int().positive()).optional().catch(undefined),
  }),
  z.array(z.unknown()).transform((): MessageFlags => ({})),
]);
