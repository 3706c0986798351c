// The server's writer over stdio: vscode-jsonrpc's framing (Content-Length header, UTF-8 JSON, one
// message at a time), except that a message carrying a DiagnosticList (features/diagnostics-json.ts)
// is written piece by piece from the JSON kept between versions. Other transports (VS Code's IPC)
// use the library's own writer and plain arrays.

import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';
import { DiagnosticList } from './features/diagnostics-json';

const CHUNK_BYTES = 256 * 1024;

/**
 * Writes messages as vscode-jsonrpc's StreamMessageWriter does (Content-Length header, UTF-8
 * JSON, one message at a time), except a message carrying a DiagnosticList (publishDiagnostics,
 * or a textDocument/diagnostic report), whose diagnostics go out in chunks made from the JSON kept
 * between versions: no 16 MB string and no 16 MB buffer of it for a table of 10,000 RMRRs. A chunk
 * is made while the previous one drains.
 */
export class StreamWriter extends AbstractMessageWriter implements MessageWriter {
  private queue: Promise<void> = Promise.resolve();
  private errors = 0;
  private readonly buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (e: unknown) => this.fireError(e));
    out.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const written = this.queue.then(() => this.send(message));
    this.queue = written.catch(() => undefined);
    return written;
  }

  end(): void {
    this.out.end();
  }

  private async send(message: Message): Promise<void> {
    try {
      const split = splitAroundDiagnosticList(message);
      if (!split) {
        const json = JSON.stringify(message);
        const length = Buffer.byteLength(json);
        const header = contentLengthHeader(length);
        // One write for header and body.
        const bytes = Buffer.allocUnsafe(header.length + length);
        bytes.write(json, bytes.write(header, 0, 'latin1'));
        await this.put(bytes);
        return;
      }
      const { before, list, after } = split;
      const header = contentLengthHeader(Buffer.byteLength(before) + list.byteLength() + Buffer.byteLength(after));
      // A chunk is filled while the one before it drains; its buffer is filled again once written.
      let previous: Promise<void> | undefined;
      for (const chunk of list.chunks(this.buffers, header + before, after)) {
        await previous;
        previous = this.put(chunk);
      }
      await previous;
    } catch (e) {
      this.fireError(e, message, ++this.errors);
      throw e;
    }
  }

  /** Write; the promise settles when the stream is done with `data`. */
  private put(data: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.out.write(data, (e?: Error | null) => (e ? reject(e) : resolve()));
    });
  }
}

function contentLengthHeader(bytes: number): string {
  return `Content-Length: ${bytes}\r\n\r\n`;
}

/** Stands for the diagnostics while the rest of the message is serialised. */
const LIST_MARK = '\u0000dmar-diagnostics\u0000';
const LIST_MARK_JSON = JSON.stringify(LIST_MARK);

/** The message's JSON before and after its DiagnosticList, or undefined when it has none. */
function splitAroundDiagnosticList(message: Message): { before: string; list: DiagnosticList; after: string } | undefined {
  const m = message as Message & { params?: { diagnostics?: unknown }; result?: { items?: unknown } | null };
  let list: DiagnosticList;
  let stand: Message;
  if (m.params?.diagnostics instanceof DiagnosticList) {
    list = m.params.diagnostics;
    stand = { ...m, params: { ...m.params, diagnostics: LIST_MARK } } as Message;
  } else if (m.result?.items instanceof DiagnosticList) {
    list = m.result.items;
    stand = { ...m, result: { ...m.result, items: LIST_MARK } } as Message;
  } else {
    return undefined;
  }
  const json = JSON.stringify(stand);
  const at = json.lastIndexOf(LIST_MARK_JSON);
  return { before: json.slice(0, at), list, after: json.slice(at + LIST_MARK_JSON.length) };
}
