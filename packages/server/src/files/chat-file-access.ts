/**
 * Who may read file `f`, the user being the SQL parameter `user`: its uploader until it is posted
 * (`message_id` NULL); once posted (0 while being posted), a member of its chat who may see its
 * message, as long as that message is not deleted.
 */
export const READABLE_BY = (user: string) => `(
  (f.message_id IS NULL AND f.author_id = ${user})
  OR (f.message_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM im_chat_members m
                WHERE m.chat_id = f.chat_id AND m.user_id = ${user} AND (f.message_id = 0 OR m.start_id <= f.message_id))
    AND NOT EXISTS (SELECT 1 FROM im_messages msg WHERE msg.id = f.message_id AND msg.deleted_at IS NOT NULL))
)`;
