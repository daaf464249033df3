import { KeyReader, type KeyLayout } from './key-reader';
import { joinKey, joinPrefix, type LakeKey, type LakePrefix } from './lake-key';
import { DATASET_PATTERN, datasetSegments, readDataset, type DatasetRef } from './partition';
import { segmentValue } from './segment';

/**
 * One bookmark (cursor) of an ingestion stream. `name` tells several cursors of one dataset
 * apart, e.g. one per ticker (`BRK.B`), so it takes any safe segment characters, not only a slug.
 */
export interface BookmarkRef extends DatasetRef {
  readonly name: string;
}

const ROOT = 'bookmarks';
const EXTENSION = '.json';
const KEY_LAYOUT: KeyLayout = {
  name: 'a bookmark key',
  kind: 'key',
  pattern: `${ROOT}/${DATASET_PATTERN}/<name>${EXTENSION}`,
};
const BOOKMARK_FILE = /^(.*)\.json$/;

/** `bookmarks/source=<source>/dataset=<dataset>/`: every bookmark of one dataset. */
export function bookmarkPrefix(ref: DatasetRef): LakePrefix<'artifacts'> {
  return joinPrefix([ROOT, ...datasetSegments(ref)]);
}

/** `bookmarks/source=<source>/dataset=<dataset>/<name>.json` */
export function bookmarkKey(ref: BookmarkRef): LakeKey<'artifacts'> {
  return joinKey([ROOT, ...datasetSegments(ref), `${segmentValue(ref.name, 'name')}${EXTENSION}`]);
}

export function parseBookmarkKey(key: string): BookmarkRef {
  const reader = new KeyReader(key, KEY_LAYOUT);
  reader.literal(ROOT);
  const dataset = readDataset(reader);
  const name = reader.match(BOOKMARK_FILE, (name) => segmentValue(name, 'name'));
  reader.end();
  return { ...dataset, name };
}
