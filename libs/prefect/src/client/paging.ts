/** The server refuses `limit` above 200 (PREFECT_SERVER_API_DEFAULT_LIMIT) with a 422. */
export const MAX_PAGE_SIZE = 200;

export interface PageRequest {
  readonly limit: number;
  readonly offset: number;
}

/**
 * Walks a `/filter` endpoint page by page with `limit`/`offset` until a short page. Results
 * can shift while paging if runs are created meanwhile; sort by a stable key (e.g. ID_DESC is not
 * stable under inserts, EXPECTED_START_TIME_ASC with a filter usually is) when that matters.
 */
export async function* paginate<T>(
  fetchPage: (page: PageRequest) => Promise<readonly T[]>,
  pageSize: number = MAX_PAGE_SIZE,
): AsyncGenerator<T, void, undefined> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(
      `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}.`,
    );
  }
  for (let offset = 0; ; offset += pageSize) {
    const page = await fetchPage({ limit: pageSize, offset });
    yield* page;
    if (page.length < pageSize) return;
  }
}

/** All items of a paged `/filter` endpoint as one array. */
export async function collectPages<T>(
  fetchPage: (page: PageRequest) => Promise<readonly T[]>,
  pageSize: number = MAX_PAGE_SIZE,
): Promise<T[]> {
  const all: T[] = [];
  for await (const item of paginate(fetchPage, pageSize)) all.push(item);
  return all;
}
