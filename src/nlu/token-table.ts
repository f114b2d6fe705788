/** What the pipeline knows about one distinct token, worked out once (see TokenTable). */
export interface TokenInfo {
  /** Small integer, unique in the table's generation: the key of per-token memos in arrays. */
  readonly id: number;
  readonly text: string;
  /** The tokens it becomes under the slang table: [] for an address word; set on first use. */
  slang: TokenInfo[] | undefined;
  /** Its stems in Indonesian and in English, set on first use. */
  stemId: string | undefined;
  stemEn: string | undefined;
}

/**
 * Token ids of a document's tokens (the `chars` of a FeatureInput, in order), from one table
 * and generation: models key their per-token memos on them (an array look-up instead of a `Map`
 * probe with a string per token and per model, a quarter of classification time before).
 */
export interface TokenIds {
  table: TokenTable;
  generation: number;
  ids: Int32Array;
}

/**
 * Interns a pipeline's tokens: one `Map` look-up per token of a message, after which every
 * per-token fact (slang, stems, model memos) is found by id. Bounded: it holds at most
 * `capacity` tokens; when a message could overflow it, it starts afresh with a new generation
 * (never in the middle of a message, so the ids of one message always agree). A single message
 * that could need more than the capacity raises it to that need (the messages' length is
 * bounded, see MAX_TEXT_LENGTH, so the table is too).
 */
export class TokenTable {
  private readonly byText = new Map<string, TokenInfo>();
  private nextId = 0;
  private room: number;
  /** Bumped whenever the table starts afresh: ids of another generation mean nothing. */
  generation = 0;

  constructor(capacity = 65_536) {
    this.room = capacity;
  }

  /** How many tokens a generation holds at most (ids are below it). */
  get capacity(): number {
    return this.room;
  }

  get size(): number {
    return this.nextId;
  }

  /** Makes room for `n` new tokens (starting afresh if needed); call before a message's tokens. */
  reserve(n: number): void {
    if (this.nextId + n <= this.room) return;
    this.room = Math.max(this.room, n);
    this.byText.clear();
    this.nextId = 0;
    this.generation++;
  }

  /** The token's info, added if new (room must have been reserved). */
  get(text: string): TokenInfo {
    let info = this.byText.get(text);
    if (info === undefined) {
      if (this.nextId >= this.room) throw new Error('token table full: reserve() first');
      info = { id: this.nextId++, text, slang: undefined, stemId: undefined, stemEn: undefined };
      this.byText.set(text, info);
    }
    return info;
  }
}
