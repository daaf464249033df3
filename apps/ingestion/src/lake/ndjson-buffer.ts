// Chunks grow from 64 KiB (a small quarantine part stays small) to 4 MiB.
const FIRST_CHUNK_BYTES = 64 * 1024;
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The lines of one part, encoded to UTF-8 as they arrive. Kept as strings until the part was
 * full, 50,000 envelopes survived the young generation and were copied into the old one, then
 * joined and encoded in one go on the main thread: about a fifth of the connector's time went
 * to that and the garbage collector. Here each line dies young and the bytes live off the heap.
 */
export class NdjsonBuffer {
  private readonly chunks: Buffer[] = [];
  private current: Buffer = Buffer.allocUnsafe(0);
  private used = 0;
  private count = 0;

  get rows(): number {
    return this.count;
  }

  /** Appends `line` and a newline; `line` must hold no newline (JSON.stringify output never does). */
  append(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so this much room always suffices.
    const worstCase = line.length * 3 + 1;
    if (this.current.length - this.used < worstCase) {
      if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
      const size = Math.min(MAX_CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, this.current.length * 2));
      this.current = Buffer.allocUnsafe(Math.max(size, worstCase));
      this.used = 0;
    }
    this.used += this.current.write(line, this.used, 'utf8');
    this.current[this.used++] = 0x0a;
    this.count++;
  }

  /** The part's bytes: every line, each followed by a newline. */
  contents(): Buffer {
    return Buffer.concat(
      this.used > 0 ? [...this.chunks, this.current.subarray(0, this.used)] : this.chunks,
    );
  }
}
