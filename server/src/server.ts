// The DMAR language server: LSP wiring only. Documents and settings come in, features/ turns a
// parsed and analysed document into hovers, fixes, outlines and the rest, answers go out.
// Started as `node dist/server.js --stdio` by Neovim, Emacs, Helix and the VS Code client; other
// transports (--node-ipc, --socket, --pipe) work too, with the library's own message writer.
//
// Documents: iasl sources (language id `dmar`), `*.dmar.json` (ids `json` or `dmar-json`), and
// binary tables opened by the client as `dmar-binary:/path/to/DMAR.dat`, whose bytes are always
// read from disk (the document text is only the listing the client got from `dmar/decompile`).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind,
  LSPErrorCodes, ResponseError, StreamMessageReader, TextDocumentSyncKind, TextDocuments, createConnection,
  type CodeAction, type Diagnostic, type Disposable, type DocumentSymbol, type FileSystemWatcher, type InitializeParams, type InitializeResult,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeDocument, parseDocument, type ParsedDocument } from './document';
import { SourceRereads } from './source-rereads';
import { StreamWriter } from './stream-writer';
import { compileDocument, decompiledText, defaultCompileOutput, jsonText } from './convert';
import { DEFAULT_MAX_FILE_SIZE, loadProjectSettings, type ProjectSettings, type SettingsOverrides } from './settings';
import { CONFIG_FILE_NAME } from './analysis/context/config';
import type { ResolvedFinding } from './analysis/runner';
import type { SeveritySetting } from './table/finding';
import { JSON_FORM_SUFFIX } from './table/json-form';
import { isReadOnly, type FeatureContext } from './features/context';
import { fileTooLargeFinding, toDiagnostics } from './features/diagnostics';
import { DiagnosticJsonCache } from './features/diagnostics-json';
import { hover } from './features/hover';
import { FIX_ALL_KIND, fixAllAction, hasSafeFixes, quickFixes } from './features/code-actions';
import { documentSymbols } from './features/symbols';
import { foldingRanges } from './features/folding';
import { selectionRanges } from './features/selection';
import { completions } from './features/completion';
import { formattingEdits } from './features/formatting';
import { inlayHints } from './features/inlay-hints';
import { definition } from './features/definition';
import { codeLenses } from './features/code-lens';

// Optimise only what runs a lot: three times V8's default interrupt budget (66 KB of bytecode
// run between tiering checks in Node 20), set before the first document is analysed. An edit of
// a 50 KB table runs each of hundreds of analysis functions a few times; by default TurboFan
// compiles about 80 of them in the first 60 edits, 350 ms of compiler-thread CPU (900 ms in 300
// edits) against 250 ms for the edits themselves, to save a fraction of a millisecond an edit.
// On a busy machine that compiler competes with the edits. With this budget it spends about
// 100 ms; an edit runs about 0.3 ms longer until its code is optimised, the first edit after
// opening about 2 ms longer, and the 10,000-RMRR table, whose loops use up any budget at once,
// is as fast as before. Interleaved, 60 edits of the 50 KB table: didChange -> diagnostics p95
// 11.5 -> 9.4 ms and p50 5.2 ms either way at load 2.1, p95 22.7 -> 13.7 ms and p50 10.4 ->
// 6.3 ms at load 3.2; server CPU 615 -> 425 ms; cold start unchanged.
setFlagsFromString('--interrupt-budget=202752');

const SERVER_NAME = 'dmar-language-server';
const SERVER_VERSION = '0.1.0';
export const BINARY_SCHEME = 'dmar-binary';
/** The MADT disassembly a source picks up from its own folder (settings.ts). */
const MADT_BESIDE_TABLE = 'apic.dsl';
/**
 * The longest a change waits for a pause in a burst of changes. A change that follows a pause is
 * analysed at once (changes that arrive together are analysed once); one that comes sooner after
 * the previous change than the last analysis of the document took waits for a pause as long as
 * that analysis took, up to this. Either way a newer version stops the analysis of an older one
 * at its next phase, and only the newest version's diagnostics are published.
 */
const MAX_BURST_PAUSE_MS = 250;

const stdio = process.argv.includes('--stdio');
const writer = stdio ? new StreamWriter(process.stdout) : undefined;
// No ProposedFeatures.all: its one feature (inline completions) is not served here.
const connection = writer ? createConnection(new StreamMessageReader(process.stdin), writer) : createConnection();
let shutdownReceived = false;
if (stdio) {
  // What createConnection does for a --stdio it sets up itself: end with the client's end of the
  // pipe, and keep console output off stdout, where it would break the protocol.
  for (const event of ['end', 'close']) process.stdin.on(event, () => process.exit(shutdownReceived ? 0 : 1));
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = console.debug = (...args: unknown[]) => connection.console.log(text(args));
  console.info = (...args: unknown[]) => connection.console.info(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
}
const rereads = new SourceRereads((message) => log(message));
const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update: (document, changes, version) => {
    rereads.noteChanges(document.uri, changes, version);
    return TextDocument.update(document, changes, version);
  },
});

// ---------------------------------------------------------------------------------------------
// What the client can do

const client = {
  configuration: false,
  configurationRegistration: false,
  watchedFilesRegistration: false,
  relativePatterns: false,
  pullDiagnostics: false,
  relatedInformation: false,
  diagnosticRefresh: false,
  inlayHintRefresh: false,
  codeLensRefresh: false,
  snippets: false,
  hierarchicalSymbols: false,
  definitionLinks: false,
  codeActionResolve: false,
};
let workspaceFolders: string[] = [];

// ---------------------------------------------------------------------------------------------
// Documents and URIs

type DocumentKind = 'source' | 'json' | 'binary';

function kindOf(document: TextDocument): DocumentKind | undefined {
  if (document.uri.startsWith(BINARY_SCHEME + ':')) return 'binary';
  if (document.languageId === 'dmar-json' || document.uri.toLowerCase().endsWith(JSON_FORM_SUFFIX)) return 'json';
  if (document.languageId === 'dmar') return 'source';
  return undefined;
}

/** The file behind a `file:` or `dmar-binary:` URI. */
function filePathOf(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    if (url.protocol === 'file:') return fileURLToPath(url);
    if (url.protocol === BINARY_SCHEME + ':') return fileURLToPath(new URL('file://' + url.pathname));
  } catch {
    // Not a URI we can map to a file (untitled:, a malformed one): no file behind it.
  }
  return undefined;
}

function ourDocument(uri: string): TextDocument | undefined {
  const document = documents.get(uri);
  return document && kindOf(document) ? document : undefined;
}

// ---------------------------------------------------------------------------------------------
// Settings: the client's `dmar` section over the project's .dmarrc.json, cached per folder

interface ClientSettings {
  rules?: Record<string, SeveritySetting>;
  iovaProfiles?: string[];
  memoryMap?: string;
  pci?: string;
  madt?: string;
  maxFileSize?: number;
  trace?: { server?: 'off' | 'messages' | 'verbose' };
}

interface DocumentSettings {
  project: ProjectSettings;
  maxFileSize: number;
}

let globalSettings: ClientSettings = {};
let verbose = false;
/** Bumped on every settings change; analyses of an older generation are recomputed. */
let settingsGeneration = 0;
const settingsByFolder = new Map<string, Promise<DocumentSettings>>();
const shownProblems = new Set<string>();
/** Files whose change reloads the settings: config files and the platform files they name. */
const watchedInputs = new Set<string>();

const SEVERITY_SETTINGS: ReadonlySet<string> = new Set(['off', 'hint', 'info', 'warning', 'error']);

function folderOf(dir: string): string {
  const inside = workspaceFolders.filter((f) => dir === f || dir.startsWith(f + path.sep)).sort((a, b) => b.length - a.length);
  return inside[0] ?? dir;
}

/** Editor settings as overrides: paths may be relative to the workspace folder or use ${workspaceFolder}. */
function overridesFrom(settings: ClientSettings, baseDir: string): SettingsOverrides {
  const resolvePath = (p: unknown) => (typeof p === 'string' && p.trim() ? path.resolve(baseDir, p.trim().replace(/\$\{workspaceFolder\}/g, baseDir)) : undefined);
  const severities: Record<string, SeveritySetting> = {};
  for (const [rule, severity] of Object.entries(settings.rules ?? {})) {
    if (SEVERITY_SETTINGS.has(severity)) severities[rule] = severity;
    else connection.console.warn(`settings: dmar.rules.${rule} is "${severity}"; expected off, hint, info, warning or error`);
  }
  const profiles = Array.isArray(settings.iovaProfiles) ? settings.iovaProfiles.filter((p) => typeof p === 'string' && p) : [];
  return {
    memoryMap: resolvePath(settings.memoryMap),
    pci: resolvePath(settings.pci),
    madt: resolvePath(settings.madt),
    // Empty editor defaults must not hide what .dmarrc.json says.
    iovaProfiles: profiles.length > 0 ? profiles : undefined,
    severities: Object.keys(severities).length > 0 ? severities : undefined,
    maxFileSize: typeof settings.maxFileSize === 'number' && settings.maxFileSize > 0 ? settings.maxFileSize : undefined,
  };
}

async function clientSettingsFor(uri: string): Promise<ClientSettings> {
  if (!client.configuration) return globalSettings;
  // Ask with the file's own URI: the client finds the workspace folder of a file:, not of a dmar-binary:.
  const filePath = filePathOf(uri);
  const scopeUri = filePath ? pathToFileURL(filePath).href : uri;
  try {
    return ((await connection.workspace.getConfiguration({ scopeUri, section: 'dmar' })) as ClientSettings | null) ?? {};
  } catch (e) {
    connection.console.warn(`settings: the client did not answer workspace/configuration: ${(e as Error).message}`);
    return globalSettings;
  }
}

function settingsDirOf(uri: string): string {
  const filePath = filePathOf(uri);
  return filePath ? path.dirname(filePath) : workspaceFolders[0] ?? process.cwd();
}

function settingsFor(uri: string): Promise<DocumentSettings> {
  const dir = settingsDirOf(uri);
  let cached = settingsByFolder.get(dir);
  if (!cached) {
    cached = (async () => {
      const fromClient = await clientSettingsFor(uri);
      verbose = fromClient.trace?.server === 'verbose';
      const project = loadProjectSettings(dir, overridesFrom(fromClient, folderOf(dir)));
      reportProblems(project);
      watchInputs(project);
      return { project, maxFileSize: project.maxFileSize ?? DEFAULT_MAX_FILE_SIZE };
    })().catch((e: unknown) => {
      // Do not keep a failure: the next document or settings change tries again.
      settingsByFolder.delete(dir);
      throw e;
    });
    settingsByFolder.set(dir, cached);
  }
  return cached;
}

/** Each set of problems once per settings change: a message box on every keystroke would be useless. */
function reportProblems(project: ProjectSettings): void {
  if (project.problems.length === 0) return;
  const key = project.problems.join('\n');
  if (shownProblems.has(key)) return;
  shownProblems.add(key);
  for (const p of project.problems) connection.console.warn(`settings: ${p}`);
  const more = project.problems.length > 1 ? ` (and ${project.problems.length - 1} more; see the DMAR output)` : '';
  void connection.window.showWarningMessage(`DMAR settings: ${project.problems[0]}${more}`);
}

function invalidateSettings(why: string): void {
  log(`settings changed (${why}): reloading and re-checking open documents`);
  settingsGeneration++;
  settingsByFolder.clear();
  shownProblems.clear();
  analyses.clear();
  for (const document of documents.all()) if (kindOf(document)) scheduleValidation(document, 0);
  if (client.pullDiagnostics && client.diagnosticRefresh) connection.languages.diagnostics.refresh();
  if (client.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  if (client.codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
}

// File watchers, registered dynamically so they can follow the platform files the settings name.
let watcherRegistration: Promise<Disposable> | undefined;
let watchedKey: string | undefined;

function watchInputs(project: ProjectSettings): void {
  for (const file of [project.configFile, project.inputs.memoryMap, project.inputs.pci, project.inputs.madt]) {
    if (file) watchedInputs.add(path.resolve(file));
  }
  registerWatchers();
}

function registerWatchers(): void {
  if (!client.watchedFilesRegistration) return;
  const key = [...watchedInputs].sort().join('\n');
  if (key === watchedKey) return;
  watchedKey = key;
  const watchers: FileSystemWatcher[] = [{ globPattern: `**/${CONFIG_FILE_NAME}` }, { globPattern: `**/${MADT_BESIDE_TABLE}` }];
  for (const file of watchedInputs) {
    watchers.push({ globPattern: client.relativePatterns ? { baseUri: pathToFileURL(path.dirname(file)).href, pattern: path.basename(file) } : file });
  }
  const previous = watcherRegistration;
  watcherRegistration = connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
  void previous?.then((d) => d.dispose()).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Analysis: one per document version and settings generation, shared by diagnostics and features

interface Analysis {
  version: number;
  /** Absent when the document is too large for live analysis. */
  ctx?: FeatureContext;
  findings: ResolvedFinding[];
}

const analyses = new Map<string, { version: number; generation: number; promise: Promise<Analysis | undefined> }>();

/** Give the connection a turn between phases, so requests and newer versions get through. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function log(message: string): void {
  if (verbose) connection.console.log(message);
}

function analysisOf(document: TextDocument): Promise<Analysis | undefined> {
  const cached = analyses.get(document.uri);
  if (cached && cached.version === document.version && cached.generation === settingsGeneration) return cached.promise;
  const generation = settingsGeneration;
  const promise = analyze(document, generation).catch((e: unknown) => {
    connection.console.error(`analysis of ${document.uri} failed: ${(e as Error).stack ?? e}`);
    return undefined;
  });
  analyses.set(document.uri, { version: document.version, generation, promise });
  return promise;
}

function singleFinding(message: string): ResolvedFinding[] {
  return [{ rule: 'syntax', severity: 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
}

/**
 * Settings, size check, read, parse, analyse, with a turn of the event loop between phases. A
 * newer version of the document (or newer settings) makes the older work stop at the next phase.
 */
async function analyze(document: TextDocument, generation: number): Promise<Analysis | undefined> {
  const { uri, version } = document;
  const stale = () => documents.get(uri)?.version !== version || generation !== settingsGeneration;
  const settings = await settingsFor(uri);
  if (stale()) return undefined;
  const filePath = filePathOf(uri);
  const fileName = nameForParsing(filePath ?? uri, kindOf(document)!);
  const limit = settings.maxFileSize;
  const tooLarge = (size: number): Analysis => {
    const finding = fileTooLargeFinding(size, limit, settings.project.analyze.severities);
    return { version, findings: finding ? [finding] : [] };
  };

  let content: string | Uint8Array;
  if (kindOf(document) === 'binary') {
    // Never trust the document text of a binary: it is a listing; the table is the file.
    if (!filePath) return { version, findings: singleFinding(`${uri} names no file to read the binary table from.`) };
    try {
      const size = (await fs.promises.stat(filePath)).size;
      if (size > limit) return tooLarge(size);
      content = await fs.promises.readFile(filePath);
    } catch (e) {
      return { version, findings: singleFinding(`Cannot read ${filePath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`) };
    }
  } else {
    content = document.getText();
    const size = Buffer.byteLength(content, 'utf8');
    if (size > limit) return tooLarge(size);
  }
  await yieldToEventLoop();
  if (stale()) return undefined;

  let started = performance.now();
  // Not stale: `document` is at `version`, and no other read of it happened since.
  const doc: ParsedDocument = kindOf(document) === 'source' && typeof content === 'string'
    ? rereads.read(document, version, path.basename(fileName), content)
    : parseDocument(fileName, content);
  let took = performance.now() - started;
  await yieldToEventLoop();
  if (stale()) return undefined;
  started = performance.now();
  const findings = analyzeDocument(doc, settings.project.analyze);
  took += performance.now() - started;
  analysisTime.set(uri, took);
  log(`analysed ${path.basename(fileName)} v${version} (${doc.form}): ${findings.length} finding(s) in ${took.toFixed(1)} ms`);
  return { version, ctx: { fileName, doc, findings, options: settings.project.analyze }, findings };
}

/** parseDocument tells JSON by the name or a leading `{`: an empty untitled JSON document needs the name. */
function nameForParsing(name: string, kind: DocumentKind): string {
  return kind === 'json' && !/\.json$/i.test(name) ? name + JSON_FORM_SUFFIX : name;
}

/** The analysis of the document as it is now, or undefined when it is not ours or changed meanwhile. */
async function currentAnalysis(uri: string): Promise<Analysis | undefined> {
  const document = ourDocument(uri);
  if (!document) return undefined;
  const analysis = await analysisOf(document);
  return analysis && documents.get(uri)?.version === analysis.version ? analysis : undefined;
}

async function contextOf(uri: string): Promise<FeatureContext | undefined> {
  return (await currentAnalysis(uri))?.ctx;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics: pushed after a change (see MAX_BURST_PAUSE_MS), or pulled when the client asks

/** How long the last read and analysis of each document took, and when it last changed. */
const analysisTime = new Map<string, number>();
const lastChange = new Map<string, number>();
/** Per document, the JSON of its last diagnostics (stdio only: other transports serialise plain arrays). */
const diagnosticJson = new Map<string, DiagnosticJsonCache>();

/** The diagnostics of an analysis: over stdio a DiagnosticList, which the StreamWriter writes piece by piece. */
function diagnosticsOf(analysis: Analysis, uri: string, relatedInformation: boolean): Diagnostic[] {
  if (!writer) return toDiagnostics(analysis.findings, uri, analysis.version, { relatedInformation });
  let cache = diagnosticJson.get(uri);
  if (!cache) diagnosticJson.set(uri, cache = new DiagnosticJsonCache());
  // A DiagnosticList serialises (toJSON) as the Diagnostic[] it stands for.
  return cache.list(analysis.findings, uri, analysis.version, { relatedInformation }) as unknown as Diagnostic[];
}

/** No wait after a pause; in a burst of changes, a pause as long as the last analysis took. */
function delayAfterChange(uri: string, now: number): number {
  const previous = lastChange.get(uri);
  lastChange.set(uri, now);
  const took = analysisTime.get(uri) ?? 0;
  return previous !== undefined && now - previous < took ? Math.min(took, MAX_BURST_PAUSE_MS) : 0;
}

/** A validation waiting for its turn: after `delay` ms, or (delay 0) once the messages already received are handled. */
type Pending = { kind: 'timeout'; handle: NodeJS.Timeout } | { kind: 'immediate'; handle: NodeJS.Immediate };
const pendingValidations = new Map<string, Pending>();
const justOpened = new Set<string>();

function cancelValidation(uri: string): void {
  const pending = pendingValidations.get(uri);
  if (!pending) return;
  if (pending.kind === 'timeout') clearTimeout(pending.handle);
  else clearImmediate(pending.handle);
  pendingValidations.delete(uri);
}

function scheduleValidation(document: TextDocument, delay: number): void {
  if (client.pullDiagnostics) return;
  const uri = document.uri;
  cancelValidation(uri);
  const run = () => {
    pendingValidations.delete(uri);
    void validate(uri);
  };
  // setImmediate, not setTimeout(0) (at least 1 ms): it runs after the changes already read.
  pendingValidations.set(uri, delay <= 0 ? { kind: 'immediate', handle: setImmediate(run) } : { kind: 'timeout', handle: setTimeout(run, delay) });
}

async function validate(uri: string): Promise<void> {
  const analysis = await currentAnalysis(uri);
  if (!analysis) return;
  // Sent in the same turn as the version check: the writer keeps the order, so no older version follows a newer.
  await connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: diagnosticsOf(analysis, uri, client.relatedInformation) });
}

documents.onDidOpen(({ document }) => {
  if (kindOf(document)) justOpened.add(document.uri);
  if (kindOf(document) === 'source') rereads.track(document.uri);
});

documents.onDidChangeContent(({ document }) => {
  if (!kindOf(document)) return;
  const uri = document.uri;
  // The analysis of an older version serves nothing any more: let its memory go before the next one.
  if (analyses.get(uri)?.version !== document.version) analyses.delete(uri);
  const opened = justOpened.delete(uri);
  const delay = delayAfterChange(uri, performance.now());
  scheduleValidation(document, opened ? 0 : delay);
});

documents.onDidClose(({ document }) => {
  cancelValidation(document.uri);
  analyses.delete(document.uri);
  justOpened.delete(document.uri);
  rereads.forget(document.uri);
  analysisTime.delete(document.uri);
  lastChange.delete(document.uri);
  diagnosticJson.delete(document.uri);
  if (kindOf(document) && !client.pullDiagnostics) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.languages.diagnostics.on(async (params) => {
  const document = ourDocument(params.textDocument.uri);
  if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const analysis = await currentAnalysis(document.uri);
  if (!analysis) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed while it was being analysed.', { retriggerRequest: true });
  return { kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(analysis, document.uri, true) };
});

// ---------------------------------------------------------------------------------------------
// Lifecycle

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  client.configuration = !!caps.workspace?.configuration;
  client.configurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  client.watchedFilesRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  client.relativePatterns = !!caps.workspace?.didChangeWatchedFiles?.relativePatternSupport;
  client.pullDiagnostics = !!caps.textDocument?.diagnostic;
  client.relatedInformation = !!caps.textDocument?.publishDiagnostics?.relatedInformation;
  client.diagnosticRefresh = !!caps.workspace?.diagnostics?.refreshSupport;
  client.inlayHintRefresh = !!caps.workspace?.inlayHint?.refreshSupport;
  client.codeLensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
  client.snippets = !!caps.textDocument?.completion?.completionItem?.snippetSupport;
  client.hierarchicalSymbols = !!caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport;
  client.definitionLinks = !!caps.textDocument?.definition?.linkSupport;
  client.codeActionResolve = !!caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceFolders = folders.map(filePathOf).filter((f): f is string => f !== undefined);
  // Clients without workspace/configuration (some Neovim and Helix setups) may pass the settings here.
  const initial = (params.initializationOptions as { dmar?: ClientSettings } | undefined)?.dmar;
  if (initial && typeof initial === 'object') globalSettings = initial;

  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':'] },
      definitionProvider: true,
      documentSymbolProvider: { label: 'DMAR' },
      foldingRangeProvider: true,
      selectionRangeProvider: true,
      documentFormattingProvider: true,
      inlayHintProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
    },
    serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
  };
  if (client.pullDiagnostics) {
    result.capabilities.diagnosticProvider = { identifier: 'dmar', interFileDependencies: false, workspaceDiagnostics: false };
  }
  return result;
});

connection.onInitialized(() => {
  if (client.configurationRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dmar' });
  registerWatchers();
});

connection.onDidChangeConfiguration((change) => {
  if (!client.configuration) globalSettings = ((change.settings as { dmar?: ClientSettings } | undefined)?.dmar) ?? {};
  invalidateSettings('configuration');
});

connection.onDidChangeWatchedFiles((params) => {
  const relevant = params.changes.some((c) => {
    const file = filePathOf(c.uri);
    if (!file) return false;
    const name = path.basename(file);
    return name === CONFIG_FILE_NAME || name === MADT_BESIDE_TABLE || watchedInputs.has(path.resolve(file));
  });
  if (relevant) invalidateSettings('a watched file changed');
});

connection.onShutdown(() => {
  shutdownReceived = true;
  for (const uri of [...pendingValidations.keys()]) cancelValidation(uri);
});

// ---------------------------------------------------------------------------------------------
// Features: each handler finds the analysis and hands it to a pure function

/** A failing feature must not take the server down: log it and answer with nothing. */
function guarded<P, R>(name: string, fallback: R, handler: (params: P) => Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (e) {
      connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  };
}

connection.onHover(guarded('hover', null, async (params) => {
  const ctx = await contextOf(params.textDocument.uri);
  return ctx ? hover(ctx, params.position) ?? null : null;
}));

connection.onCompletion(guarded('completion', [], async (params) => {
  const ctx = await contextOf(params.textDocument.uri);
  return ctx && !isReadOnly(ctx) ? completions(ctx, params.position, { snippets: client.snippets }) : [];
}));

connection.onDefinition(guarded('definition', null, async (params) => {
  const uri = params.textDocument.uri;
  const ctx = await contextOf(uri);
  if (!ctx) return null;
  const targets = definition(ctx, params.position);
  if (client.definitionLinks) {
    return targets.map((t) => ({ targetUri: uri, targetRange: t.range, targetSelectionRange: t.selectionRange, originSelectionRange: t.originRange }));
  }
  return targets.map((t) => ({ uri, range: t.selectionRange }));
}));

connection.onDocumentSymbol(guarded('documentSymbol', null, async (params) => {
  const uri = params.textDocument.uri;
  const ctx = await contextOf(uri);
  if (!ctx) return null;
  const symbols = documentSymbols(ctx);
  return client.hierarchicalSymbols ? symbols : flattenSymbols(symbols, uri);
}));

function flattenSymbols(symbols: readonly DocumentSymbol[], uri: string, containerName?: string): SymbolInformation[] {
  return symbols.flatMap((s) => [
    { name: s.name, kind: s.kind, location: { uri, range: s.range }, containerName },
    ...flattenSymbols(s.children ?? [], uri, s.name),
  ]);
}

connection.onFoldingRanges(guarded('foldingRange', null, async (params) => {
  const ctx = await contextOf(params.textDocument.uri);
  return ctx ? foldingRanges(ctx) : null;
}));

connection.onSelectionRanges(guarded('selectionRange', null, async (params) => {
  const ctx = await contextOf(params.textDocument.uri);
  return ctx ? selectionRanges(ctx, params.positions) : null;
}));

connection.onDocumentFormatting(guarded('formatting', null, async (params) => {
  const ctx = await contextOf(params.textDocument.uri);
  return ctx && !isReadOnly(ctx) ? formattingEdits(ctx) : null;
}));

connection.languages.inlayHint.on(guarded('inlayHint', null, async (params) => {
  const ctx = await contextOf(params.textDocument.uri);
  return ctx ? inlayHints(ctx, params.range) : null;
}));

connection.onCodeLens(guarded('codeLens', null, async (params) => {
  const ctx = await contextOf(params.textDocument.uri);
  return ctx ? codeLenses(ctx) : null;
}));

interface FixAllData {
  uri: string;
  version: number;
}

connection.onCodeAction(guarded('codeAction', null, async (params) => {
  const uri = params.textDocument.uri;
  const analysis = await currentAnalysis(uri);
  const ctx = analysis?.ctx;
  if (!analysis || !ctx || isReadOnly(ctx)) return null;
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) actions.push(...quickFixes(ctx, uri, analysis.version, params.context.diagnostics));
  if (wants(FIX_ALL_KIND) && hasSafeFixes(ctx)) {
    // Fix-all re-analyses once per fix: only do that work when the user picks it.
    const action = fixAllAction(ctx, uri, !client.codeActionResolve);
    if (client.codeActionResolve) action.data = { uri, version: analysis.version } satisfies FixAllData;
    actions.push(action);
  }
  return actions;
}));

connection.onCodeActionResolve(async (action) => {
  const data = action.data as FixAllData | undefined;
  if (action.kind !== FIX_ALL_KIND || !data) return action;
  try {
    const analysis = await currentAnalysis(data.uri);
    if (analysis?.ctx && analysis.version === data.version) action.edit = fixAllAction(analysis.ctx, data.uri, true).edit;
  } catch (e) {
    connection.console.error(`codeAction/resolve failed: ${(e as Error).stack ?? e}`);
  }
  return action;
});

// ---------------------------------------------------------------------------------------------
// Custom requests: conversions the client offers as commands

interface UriParams {
  uri: string;
}

interface CompileParams extends UriParams {
  outputPath?: string;
}

function requestFailed(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** The document behind a URI: the open text of a source or JSON document, else the file on disk. */
async function loadForConversion(uri: string): Promise<{ doc: ParsedDocument; fileName: string; filePath?: string }> {
  const filePath = filePathOf(uri);
  const fileName = filePath ?? uri;
  const open = ourDocument(uri);
  if (open && kindOf(open) !== 'binary') {
    const analysis = await currentAnalysis(uri);
    if (analysis?.ctx) return { doc: analysis.ctx.doc, fileName, filePath };
  }
  if (!filePath) throw requestFailed(`${uri} is neither an open DMAR document nor a file.`);
  const { maxFileSize } = await settingsFor(uri);
  let bytes: Uint8Array;
  try {
    const size = (await fs.promises.stat(filePath)).size;
    if (size > maxFileSize) {
      throw requestFailed(`${filePath} is ${size} bytes, more than the ${maxFileSize}-byte limit for the editor; raise \`dmar.maxFileSize\` (or "maxFileSize" in .dmarrc.json), or use the \`dmar\` command line, which has no limit.`);
    }
    bytes = await fs.promises.readFile(filePath);
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    throw requestFailed(`Cannot read ${filePath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  await yieldToEventLoop();
  return { doc: parseDocument(filePath, bytes), fileName, filePath };
}

connection.onRequest('dmar/decompile', async (params: UriParams) => {
  const { doc, fileName } = await loadForConversion(params.uri);
  return { text: decompiledText(doc, fileName) };
});

connection.onRequest('dmar/exportJson', async (params: UriParams) => {
  const { doc } = await loadForConversion(params.uri);
  return { text: jsonText(doc) };
});

connection.onRequest('dmar/compile', async (params: CompileParams) => {
  const { doc, fileName, filePath } = await loadForConversion(params.uri);
  const result = compileDocument(doc);
  if ('errors' in result) throw requestFailed(`Cannot compile ${path.basename(fileName)}:\n${result.errors.join('\n')}`);
  const base = filePath ? path.dirname(filePath) : workspaceFolders[0] ?? process.cwd();
  const outputPath = params.outputPath ? path.resolve(base, params.outputPath) : filePath ? defaultCompileOutput(filePath) : undefined;
  if (!outputPath) throw requestFailed(`${params.uri} has no file name to put the .aml beside; give an outputPath.`);
  try {
    await fs.promises.writeFile(outputPath, result.bytes);
  } catch (e) {
    throw requestFailed(`Cannot write ${outputPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { outputPath, bytes: result.bytes.length };
});

// A bug in one request must not end the session: the editor would lose every feature.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));

documents.listen(connection);
connection.listen();
