import { LakePathError } from './lake-path-error';
import { keySegments } from './lake-key';

/** A key layout as people read it, for messages: `source=<source>/dataset=<dataset>/`. */
export interface KeyLayout {
  readonly name: string;
  readonly kind: 'key' | 'prefix';
  readonly pattern: string;
}

/** Reads a key segment by segment against one layout, failing with the layout in the message. */
export class KeyReader {
  readonly #key: string;
  readonly #layout: KeyLayout;
  readonly #segments: readonly string[];
  #next = 0;

  constructor(key: string, layout: KeyLayout) {
    this.#key = key;
    this.#layout = layout;
    this.#segments = keySegments(key, layout.kind);
  }

  #mismatch(): never {
    throw new LakePathError({
      code: 'invalid_key',
      part: this.#layout.kind,
      value: this.#key,
      problem: `is not ${this.#layout.name} (expected ${this.#layout.pattern})`,
    });
  }

  #take(): string {
    const segment = this.#segments[this.#next++];
    return segment ?? this.#mismatch();
  }

  literal(expected: string): void {
    if (this.#take() !== expected) this.#mismatch();
  }

  /** A `name=value` segment; `parse` checks the value and names `name` when it is wrong. */
  hive<T>(name: string, parse: (value: string, part: string) => T): T {
    const segment = this.#take();
    if (!segment.startsWith(`${name}=`)) this.#mismatch();
    return parse(segment.slice(name.length + 1), name);
  }

  /** A segment matched by `pattern`, whose first group is handed to `parse`. */
  match<T>(pattern: RegExp, parse: (captured: string) => T): T {
    const captured = pattern.exec(this.#take())?.[1];
    return captured === undefined ? this.#mismatch() : parse(captured);
  }

  /** A plain segment whose value `parse` checks. */
  segment<T>(parse: (value: string) => T): T {
    return parse(this.#take());
  }

  end(): void {
    if (this.#next !== this.#segments.length) this.#mismatch();
  }
}
