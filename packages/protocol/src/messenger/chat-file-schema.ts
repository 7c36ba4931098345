import { z } from 'zod';

/**
 * A file sent in a chat, as `im.dialog.messages.get` lists it and the `message` event carries it
 * (Bitrix24 field names). Pictures have their size, so their place is kept while they load.
 */
export const ChatFileSchema = z.looseObject({
  id: z.coerce.number().int().positive(),
  type: z.enum(['image', 'file']).catch('file'),
  name: z.string().default(''),
  extension: z.string().default(''),
  size: z.coerce.number().nonnegative().default(0),
  image: z
    .union([z.object({ width: z.coerce.number().positive(), height: z.coerce.number().positive() }), z.literal(false)])
    .catch(false)
    .default(false),
  urlPreview: z.string().default(''),
  urlShow: z.string().default(''),
  urlDownload: z.string().default(''),
});
export type ChatFile = z.infer<typeof ChatFileSchema>;
