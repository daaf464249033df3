import { isMap, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Where `path` is written in the document: the key's position for a mapping entry (that is the
 * line a reader looks for), else the node's. For a field that is missing, the nearest ancestor.
 */
export function positionOf(
  document: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): Position | undefined {
  let node: unknown = document.contents;
  let offset: number | undefined = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => scalarValue(item.key) === String(segment));
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) break;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Partial<Node> | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function scalarValue(key: unknown): string | undefined {
  if (key !== null && typeof key === 'object' && 'value' in key) return String(key.value);
  return key === undefined || key === null ? undefined : String(key);
}
