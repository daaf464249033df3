import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NdjsonBuffer } from './ndjson-buffer';

const joined = (lines: readonly string[]) => Buffer.from(lines.map((line) => `${line}\n`).join(''));

describe('NdjsonBuffer', () => {
  it('holds exactly the UTF-8 of the lines, each ended by a newline', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
          {
            maxLength: 20,
          },
        ),
        (lines) => {
          const buffer = new NdjsonBuffer();
          for (const line of lines) buffer.append(line);
          expect(buffer.rows).toBe(lines.length);
          expect(buffer.contents().equals(joined(lines))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stays exact across its chunks, with multi-byte characters at the seams', () => {
    const lines = Array.from(
      { length: 30_000 },
      (_, i) => `${'ü€😀'.repeat(20)}${i}${'x'.repeat(i % 97)}`,
    );
    const buffer = new NdjsonBuffer();
    for (const line of lines) buffer.append(line);
    const contents = buffer.contents();
    expect(contents.length).toBeGreaterThan(6 * 1024 * 1024);
    expect(contents.equals(joined(lines))).toBe(true);
  });
});
