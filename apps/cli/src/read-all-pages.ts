/** Lists are read in pages of this size, so a long one never sits in one query. */
export const LIST_PAGE = 200;

export interface PageWindow {
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Every item of a paged list, in the service's order. */
export async function readAllPages<T>(readPage: (window: PageWindow) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += LIST_PAGE) {
    const page = await readPage({ limit: LIST_PAGE, offset });
    items.push(...page.items);
    // A short page is the last even if rows were added meanwhile; the total alone could read on forever.
    if (page.items.length < LIST_PAGE || items.length >= page.total) return items;
  }
}
