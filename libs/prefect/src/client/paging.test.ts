import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectPages, MAX_PAGE_SIZE, paginate, type PageRequest } from './paging';

function source(total: number) {
  const requests: PageRequest[] = [];
  const fetchPage = async (page: PageRequest): Promise<number[]> => {
    requests.push(page);
    const end = Math.min(page.offset + page.limit, total);
    return Array.from({ length: Math.max(0, end - page.offset) }, (_, i) => page.offset + i);
  };
  return { requests, fetchPage };
}

describe('paginate', () => {
  it('reads every item once, in order, never asking for more than 200', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 1, max: MAX_PAGE_SIZE }),
        async (total, pageSize) => {
          const { requests, fetchPage } = source(total);
          const items = await collectPages(fetchPage, pageSize);
          expect(items).toEqual(Array.from({ length: total }, (_, i) => i));
          expect(requests).toHaveLength(Math.floor(total / pageSize) + 1);
          expect(requests.every((r) => r.limit === pageSize && r.limit <= MAX_PAGE_SIZE)).toBe(
            true,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('defaults to pages of 200', async () => {
    const { requests, fetchPage } = source(450);
    expect(await collectPages(fetchPage)).toHaveLength(450);
    expect(requests.map((r) => [r.offset, r.limit])).toEqual([
      [0, 200],
      [200, 200],
      [400, 200],
    ]);
  });

  it('refuses page sizes the server would reject', async () => {
    const { fetchPage } = source(10);
    await expect(paginate(fetchPage, 201).next()).rejects.toBeInstanceOf(RangeError);
    await expect(paginate(fetchPage, 0).next()).rejects.toBeInstanceOf(RangeError);
  });
});
