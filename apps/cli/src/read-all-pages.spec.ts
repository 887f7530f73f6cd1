import { LIST_PAGE, readAllPages, type PageWindow } from './read-all-pages';

/** A service's list over `rows`, reporting `total` (which may be stale) and recording each window. */
function pagedList(rows: number[], total = rows.length) {
  const windows: PageWindow[] = [];
  const readPage = async (window: PageWindow) => {
    windows.push(window);
    return { items: rows.slice(window.offset, window.offset + window.limit), total };
  };
  return { readPage, windows };
}

describe('readAllPages', () => {
  it('reads page after page until the total, in order', async () => {
    const rows = Array.from({ length: 2 * LIST_PAGE + 1 }, (_, i) => i);
    const { readPage, windows } = pagedList(rows);
    expect(await readAllPages(readPage)).toEqual(rows);
    expect(windows).toEqual([0, 1, 2].map((n) => ({ limit: LIST_PAGE, offset: n * LIST_PAGE })));
  });

  it('stops after one read when the list is empty or exactly one page', async () => {
    for (const length of [0, LIST_PAGE]) {
      const { readPage, windows } = pagedList(Array.from({ length }, (_, i) => i));
      expect(await readAllPages(readPage)).toHaveLength(length);
      expect(windows).toHaveLength(1);
    }
  });

  it('stops at a short page even when the total says more (rows removed meanwhile)', async () => {
    const { readPage, windows } = pagedList([1, 2, 3], 10 * LIST_PAGE);
    expect(await readAllPages(readPage)).toEqual([1, 2, 3]);
    expect(windows).toHaveLength(1);
  });
});
