import type { TraceStep } from '../trace.ts';

/** One chunk as the trace shows it. */
export interface ChunkTraceEntry {
  /** 1-based position in the body. */
  readonly index: number;
  /** Data bytes in the chunk (0 for the final chunk). */
  readonly size: number;
  /** The chunk's string to sign (empty for unsigned chunks). */
  readonly stringToSign: string;
  /** The chunk signature (empty for unsigned chunks). */
  readonly signature: string;
}

/**
 * Keeps the first few chunks and the last one — never all of them, so a 1 GiB upload traces in
 * constant memory — and writes them as trace steps.
 *
 * @example
 * ```ts
 * const recorder = new ChunkTraceRecorder();
 * for await (const bytes of encodeAwsChunked(body, { mode: 'signed', signing, trace: recorder })) send(bytes);
 * console.log(formatTrace(recorder.steps()));
 * ```
 */
export class ChunkTraceRecorder {
  readonly #first: ChunkTraceEntry[] = [];
  #last: ChunkTraceEntry | undefined;
  #count = 0;
  #trailer: { canonical: string; stringToSign: string; signature: string } | undefined;

  /** How many leading chunks to keep. */
  readonly keep: number;

  constructor(keep = 3) {
    this.keep = keep;
  }

  /** Records a chunk. */
  chunk(entry: ChunkTraceEntry): void {
    this.#count++;
    if (this.#first.length < this.keep) this.#first.push(entry);
    else this.#last = entry;
  }

  /** Records the trailing headers and their signature. */
  trailer(canonical: string, stringToSign: string, signature: string): void {
    this.#trailer = { canonical, stringToSign, signature };
  }

  /** How many chunks were recorded, the final empty one included. */
  get count(): number {
    return this.#count;
  }

  /** The chunks and trailer as trace steps. */
  steps(): TraceStep[] {
    const show = (e: ChunkTraceEntry): string =>
      e.stringToSign === ''
        ? `chunk ${e.index} (${e.size} bytes, unsigned)`
        : `chunk ${e.index} (${e.size} bytes)\n${e.stringToSign}\n→ ${e.signature}`;
    const blocks = this.#first.map(show);
    if (this.#last !== undefined) {
      const hidden = this.#count - this.#first.length - 1;
      if (hidden > 0) blocks.push(`… ${hidden} more chunk${hidden === 1 ? '' : 's'} …`);
      blocks.push(show(this.#last));
    }
    const steps: TraceStep[] = [
      {
        id: 'chunk-signatures',
        title: 'Chunk signatures (aws-chunked)',
        explanation:
          'Each chunk is signed over the previous signature (the seed for the first), the empty hash and the chunk data hash, chaining every chunk to the one before.',
        inputs: { chunks: String(this.#count) },
        output: blocks.length === 0 ? '(no chunks yet: the body has not been read)' : blocks.join('\n\n'),
      },
    ];
    if (this.#trailer !== undefined) {
      steps.push({
        id: 'trailer-signature',
        title: 'Trailing headers',
        explanation:
          'The trailing headers (a checksum of the data) follow the final empty chunk; when signed, their signature chains to the final chunk signature.',
        inputs: { trailers: this.#trailer.canonical.replace(/\n$/, '') },
        output: this.#trailer.stringToSign === '' ? '(unsigned)' : `${this.#trailer.stringToSign}\n→ ${this.#trailer.signature}`,
      });
    }
    return steps;
  }
}
