// A small LSP client for tests: spawns the bundled server over stdio, speaks JSON-RPC through
// vscode-jsonrpc, answers the requests a server sends its client (configuration, registrations,
// refreshes) and keeps every publishDiagnostics so a test can wait for the version it sent.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  ClientCapabilities, ConfigurationParams, Diagnostic, InitializeResult, PublishDiagnosticsParams, TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

/** The bundle `npm run build` makes (node scripts/bundle.mjs), or another build of it named by DMAR_TEST_SERVER. */
export const SERVER_PATH = process.env.DMAR_TEST_SERVER ?? path.resolve(__dirname, '../../../dist/server.js');

/** A guard against a hung test, never an assertion on speed. */
const WAIT_LIMIT_MS = 120_000;

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** What the client answers for workspace/configuration section `dmar`. */
  settings?: Record<string, unknown>;
  rootPath?: string;
}

/** What VS Code announces for the features under test (push diagnostics: no `diagnostic`). */
export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    definition: { linkSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
  },
};

interface Waiter {
  uri: string;
  accept: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
}

export class LspClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: string[] = [];
  readonly shownMessages: string[] = [];
  readonly registrations: unknown[] = [];
  stderr = '';
  settings: Record<string, unknown>;
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  private constructor(readonly process: ChildProcess, readonly connection: MessageConnection, settings: Record<string, unknown>) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<{ client: LspClient; initialized: InitializeResult }> {
    if (!fs.existsSync(SERVER_PATH)) {
      throw new Error(`${SERVER_PATH} is missing: build it first (npm run build, or node scripts/bundle.mjs)`);
    }
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options.settings ?? {});
    child.stderr!.on('data', (d: Buffer) => { client.stderr += d.toString(); });
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => client.onDiagnostics(p));
    connection.onNotification('window/logMessage', (p: { message: string }) => { client.logs.push(p.message); });
    connection.onNotification('window/showMessage', (p: { message: string }) => { client.shownMessages.push(p.message); });
    connection.onRequest('window/showMessageRequest', (p: { message: string }) => { client.shownMessages.push(p.message); return null; });
    connection.onRequest('workspace/configuration', (p: ConfigurationParams) => p.items.map((item) => (item.section === 'dmar' ? client.settings : null)));
    connection.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => { client.registrations.push(...p.registrations); return null; });
    connection.onRequest('client/unregisterCapability', () => null);
    for (const refresh of ['workspace/diagnostic/refresh', 'workspace/inlayHint/refresh', 'workspace/codeLens/refresh']) connection.onRequest(refresh, () => null);
    connection.listen();
    const root = options.rootPath ?? process.cwd();
    // A server that dies on start (a broken bundle) must fail the test with its stderr, not hang it.
    const died = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${SERVER_PATH} exited with ${code} before initializing:\n${client.stderr}`))));
    const initialized = await Promise.race([died, connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
      capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
    })]);
    died.catch(() => undefined);
    await connection.sendNotification('initialized', {});
    return { client, initialized };
  }

  private onDiagnostics(p: PublishDiagnosticsParams): void {
    const list = this.published.get(p.uri) ?? [];
    list.push(p);
    this.published.set(p.uri, list);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.uri === p.uri && w.accept(p)) {
        this.waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  }

  /** The first publish for `uri` (already received or to come) that `accept` takes; by default, for the latest version sent. */
  waitForDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = (p) => p.version === undefined || p.version === this.versions.get(uri)): Promise<Diagnostic[]> {
    const seen = this.published.get(uri)?.find(accept);
    if (seen) return Promise.resolve(seen.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${WAIT_LIMIT_MS} ms; server stderr:\n${this.stderr}`)), WAIT_LIMIT_MS);
      this.waiters.push({ uri, accept, resolve: (p) => { clearTimeout(timer); resolve(p.diagnostics); } });
    });
  }

  /** Poll until `condition` holds (for effects with no reply, such as a message box). */
  async waitFor(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; server stderr:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replace the whole text (a full-document change), as a client without incremental sync would. */
  async change(uri: string, text: string): Promise<number> {
    const version = this.version(uri) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    const changes: TextDocumentContentChangeEvent[] = [{ text }];
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** Incremental changes (ranges in the text before each change), as VS Code sends them. */
  async edit(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = this.version(uri) + 1;
    const document = TextDocument.create(uri, 'dmar', version - 1, this.text(uri));
    this.versions.set(uri, version);
    this.texts.set(uri, TextDocument.update(document, changes, version).getText());
    await this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** shutdown, exit, and the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.process.exitCode !== null) resolve(this.process.exitCode);
      else this.process.once('exit', (code) => resolve(code));
    });
    await this.request('shutdown', null);
    await this.notify('exit', null);
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  /** For `after` hooks: end the server whatever state the test left it in. */
  kill(): void {
    if (this.process.exitCode === null) this.process.kill();
    this.connection.dispose();
  }
}
