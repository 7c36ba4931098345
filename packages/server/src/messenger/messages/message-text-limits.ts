/** Longest message text accepted, in characters (Bitrix24's own limit). */
export const MAX_MESSAGE_LENGTH = 20_000;
/** Longest `ATTACH`, `KEYBOARD` or `MENU`, as JSON characters (Bitrix24 documents 60,000 for ATTACH). */
export const MAX_BLOCK_LENGTH = 60_000;
