// Line starts of a text, for offsets <-> (line, character) as LSP counts them ('\r\n', '\r' and
// '\n' each end a line). Shared by the JSON form's reader and its fix edits.

import type { Position } from './model';

/** Line starts of a text, for offset -> (line, character) as LSP counts them. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      if (c === 0x0d || c === 0x0a) this.starts.push(i + 1);
    }
  }

  /** The offset of a position; past the last line, the end of the text. */
  offset(p: Position): number {
    const start = this.starts[p.line];
    return start === undefined ? this.text.length : Math.min(start + p.character, this.text.length);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - this.starts[low]! };
  }

  /** The character where a line's text ends, before its line break. */
  lineEnd(line: number): number {
    let end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    while (end > this.starts[line]! && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return end - this.starts[line]!;
  }
}
