/** Bitrix24's colour scheme for chats and users without avatars. */
export const CHAT_COLORS: Readonly<Record<string, string>> = {
  RED: '#df532d',
  GREEN: '#64a513',
  MINT: '#4ba984',
  LIGHT_BLUE: '#4ba5c3',
  DARK_BLUE: '#3e99ce',
  PURPLE: '#8474c8',
  AQUA: '#1eb4aa',
  PINK: '#f76187',
  LIME: '#58cc47',
  BROWN: '#ab7761',
  AZURE: '#29619b',
  KHAKI: '#728f7a',
  SAND: '#ba9c7b',
  MARENGO: '#556574',
  GRAY: '#909090',
  GRAPHITE: '#5e5f5e',
};

const NAMES = Object.keys(CHAT_COLORS);

/** A stable colour for something that has no colour of its own. */
export function colorFor(id: number): string {
  return CHAT_COLORS[NAMES[id % NAMES.length] as string] as string;
}

export function colorByName(name: string | undefined): string | null {
  if (!name) return null;
  return CHAT_COLORS[name.trim().toUpperCase()] ?? null;
}
