import CopyIcon from '@bitrix24/b24icons-vue/outline/CopyIcon';
import EditMIcon from '@bitrix24/b24icons-vue/outline/EditMIcon';
import ForwardIcon from '@bitrix24/b24icons-vue/outline/ForwardIcon';
import ReplyIcon from '@bitrix24/b24icons-vue/outline/ReplyIcon';
import TrashcanIcon from '@bitrix24/b24icons-vue/outline/TrashcanIcon';
import { ref } from 'vue';
import type { DialogMessage } from '../api/messenger-schemas.ts';
import { isChangeableBy } from '../state/message-changes.ts';
import { copyMessageText } from './copy-message-text.ts';

/** What the actions of a message in a dialog's history read from their component and ask of it. */
export interface MessageActionsOptions {
  readerId: () => number;
  reply: (message: DialogMessage) => void;
  forward: (message: DialogMessage) => void;
  edit: (message: DialogMessage) => void;
  remove: (messageId: number) => void;
  /** Brings a message into view, for a delete asked for from the message menu. */
  showMessage: (messageId: number) => void;
}

/** The actions on each message of a dialog's history, and the question a delete asks first. */
export function useMessageActions(options: MessageActionsOptions) {
  /** The message whose "Delete" was pressed once: it asks before it deletes. */
  const confirmingDelete = ref<number | null>(null);

  function remove(messageId: number) {
    confirmingDelete.value = null;
    options.remove(messageId);
  }

  function keep() {
    confirmingDelete.value = null;
  }

  /** "Delete…" in the message menu: the message's own actions ask before it deletes. */
  function askDelete(message: DialogMessage) {
    confirmingDelete.value = message.id;
    options.showMessage(message.id);
  }

  /** Moving away from a message drops a half-made delete. */
  function leave(messageId: number) {
    if (confirmingDelete.value === messageId) confirmingDelete.value = null;
  }

  /** What the reader can do with a message: answer, copy or forward any, change their own. */
  function actionsFor(message: DialogMessage) {
    const reply = { label: 'Reply', ariaLabel: 'Reply to message', icon: ReplyIcon, run: () => options.reply(message) };
    const shared = [
      reply,
      { label: 'Copy', ariaLabel: 'Copy text', icon: CopyIcon, run: () => copyMessageText(message.text) },
      { label: 'Forward', ariaLabel: 'Forward message', icon: ForwardIcon, run: () => options.forward(message) },
    ];
    if (!isChangeableBy(message, options.readerId())) return shared;
    return [
      ...shared,
      { label: 'Edit', ariaLabel: 'Edit message', icon: EditMIcon, run: () => options.edit(message) },
      {
        label: 'Delete',
        ariaLabel: 'Delete message',
        icon: TrashcanIcon,
        run: () => {
          confirmingDelete.value = message.id;
        },
      },
    ];
  }

  return { confirmingDelete, remove, keep, askDelete, leave, actionsFor };
}
