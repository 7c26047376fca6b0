/** A LIKE pattern, for `like ... escape '\'`, that matches any text containing `text` literally. */
export const likeContaining = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
