// The language client: started on first need (a DMAR document, a command, a binary view), so an
// activation caused by a stray .dsl file costs no server process.

import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  LanguageClient, State, TransportKind,
  type ConfigurationParams, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { explicitSection, pickSubsection } from './settings';
import type { ServerState } from './status-text';

export const LANGUAGE_ID = 'dmar';
export const BINARY_SCHEME = 'dmar-binary';
export const CONFIG_SECTION = 'dmar';

/** The documents the server analyses. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: LANGUAGE_ID },
  { scheme: 'untitled', language: LANGUAGE_ID },
  { scheme: BINARY_SCHEME, language: LANGUAGE_ID },
  { scheme: 'file', language: 'json', pattern: '**/*.dmar.json' },
  { scheme: 'file', language: 'jsonc', pattern: '**/*.dmar.json' },
];

export function isServedDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR, doc) > 0;
}

export class ServerHandle implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private stopping = false;
  private _state: ServerState = 'stopped';
  private _detail: string | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  /** Whether the server was ever asked for (the status bar stays hidden until then). */
  wanted = false;

  constructor(private readonly context: vscode.ExtensionContext, readonly output: vscode.OutputChannel) {}

  get state(): ServerState {
    return this._state;
  }

  get detail(): string | undefined {
    return this._detail;
  }

  private setState(state: ServerState, detail?: string): void {
    this._state = state;
    this._detail = detail;
    this.stateEmitter.fire(state);
  }

  /** The running client, started if need be. */
  ensure(): Promise<LanguageClient> {
    this.wanted = true;
    if (!this.starting) {
      this.starting = this.start();
      // A failed start stays failed (one error, not one per opened file) until dmar.restartServer.
      this.starting.catch(() => undefined);
    }
    return this.starting;
  }

  private async start(): Promise<LanguageClient> {
    const module = this.context.asAbsolutePath('dist/server.js');
    // stdio, not IPC: over stdio the server writes large diagnostic lists from the JSON it kept
    // for the unchanged findings (server/src/stream-writer.ts); over IPC every publication is a
    // fresh JSON.stringify of all of them (16 MB for a table of 10,000 RMRRs).
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.stdio },
      debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const settingKeys = Object.keys(this.context.extension.packageJSON?.contributes?.configuration?.properties ?? {})
      .filter((k) => k.startsWith(CONFIG_SECTION + '.'))
      .map((k) => k.slice(CONFIG_SECTION.length + 1));
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      synchronize: {
        configurationSection: CONFIG_SECTION,
        fileEvents: vscode.workspace.createFileSystemWatcher('**/.dmarrc.json'),
      },
      outputChannel: this.output,
      middleware: {
        workspace: {
          configuration: (params: ConfigurationParams, token, next) => answerConfiguration(params, token, next, settingKeys),
        },
      },
    };
    const client = new LanguageClient('dmar', 'DMAR Language Server', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Starting) this.setState('starting');
      else if (e.newState === State.Running) this.setState('ready');
      else if (e.newState === State.Stopped) this.setState(this.stopping ? 'stopped' : 'error', this.stopping ? undefined : 'the server stopped; see the output');
    });
    this.setState('starting');
    try {
      await client.start();
    } catch (e) {
      this.setState('error', (e as Error).message);
      this.output.appendLine(`The DMAR language server did not start: ${(e as Error).message}`);
      throw e;
    }
    this.setState('ready');
    return client;
  }

  async restart(): Promise<void> {
    const old = this.client;
    if (old?.isRunning()) {
      this.stopping = true;
      try {
        await old.restart();
      } catch (e) {
        this.setState('error', (e as Error).message);
        throw e;
      } finally {
        this.stopping = false;
      }
      return;
    }
    // Never started, or failed: a new client.
    this.client = undefined;
    this.starting = undefined;
    if (old) await old.dispose(2000).catch(() => undefined);
    await this.ensure();
  }

  async dispose(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    this.stateEmitter.dispose();
    if (client) await client.dispose(2000).catch(() => undefined);
  }
}

/**
 * `workspace/configuration` for the `dmar` section (or a key below it) answers with what the user
 * set, paths made absolute (settings.ts says why); other sections get VS Code's own answer.
 */
async function answerConfiguration(
  params: ConfigurationParams,
  token: vscode.CancellationToken,
  next: (params: ConfigurationParams, token: vscode.CancellationToken) => unknown,
  keys: readonly string[],
): Promise<unknown[]> {
  const answers = (await next(params, token)) as unknown[] | vscode.ProviderResult<unknown[]>;
  if (!Array.isArray(answers)) return answers as unknown as unknown[];
  return params.items.map((item, i) => {
    const section = item.section ?? '';
    if (section !== CONFIG_SECTION && !section.startsWith(CONFIG_SECTION + '.')) return answers[i];
    const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
    const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
    const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
    const values = explicitSection(keys, (key) => config.inspect(key), folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, os.homedir());
    return section === CONFIG_SECTION ? values : pickSubsection(values, section.slice(CONFIG_SECTION.length + 1));
  });
}
