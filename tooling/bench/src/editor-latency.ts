// Editor latency on the router's types: how long the TypeScript language server (tsgo's LSP,
// `tsc --lsp --stdio` from the `typescript` package) takes to list the procedures after
// `trpc.orders.` in a web page. tRPC's inferred types are what makes such completions slow
// in large routers, so this is the figure users feel while typing.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./paths.ts";

export interface EditorLatencyOptions {
  /** File to open, relative to the repository root. */
  file?: string;
  /** Text after which completions are requested (its first occurrence). */
  marker?: string;
  /** A label the completion list must contain, so a wrong position cannot pass as fast. */
  expectLabel?: string;
  /** Warm requests; the median is reported. */
  warmRuns?: number;
}

export interface EditorLatency {
  /** From opening the file (the server loads the project and checks) to the first completion list. */
  firstCompletionMs: number;
  /** Median completion time after an edit to the open file, with the project loaded. */
  warmCompletionMs: number;
}

export async function measureEditorLatency(options: EditorLatencyOptions = {}): Promise<EditorLatency> {
  const file = join(repoRoot, options.file ?? "apps/web/src/features/orders/OrderDetailPage.tsx");
  const marker = options.marker ?? "trpc.orders.";
  const expectLabel = options.expectLabel ?? "byId";
  const text = readFileSync(file, "utf8");
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${marker} does not occur in ${file}`);
  const before = text.slice(0, at + marker.length).split("\n");
  const position = { line: before.length - 1, character: before.at(-1)!.length };
  const uri = pathToFileURL(file).href;

  const server = new LspConnection(spawnLanguageServer());
  try {
    await server.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(repoRoot).href,
      workspaceFolders: [{ uri: pathToFileURL(repoRoot).href, name: "cartwheel" }],
      capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } } } },
    });
    server.notify("initialized", {});

    const complete = async () => {
      const result = (await server.request("textDocument/completion", { textDocument: { uri }, position })) as
        { items: { label: string }[] } | { label: string }[] | null;
      const items = Array.isArray(result) ? result : (result?.items ?? []);
      if (!items.some((item) => item.label === expectLabel)) {
        throw new Error(`completions after ${marker} lack ${expectLabel}: ${items.map((i) => i.label).join(", ")}`);
      }
    };

    let started = performance.now();
    server.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: file.endsWith(".tsx") ? "typescriptreact" : "typescript", version: 1, text },
    });
    await complete();
    const firstCompletionMs = performance.now() - started;

    // Each warm request follows an edit (a new document version), as while typing: the
    // server has to update its program instead of answering from the last result.
    const warm: number[] = [];
    for (let run = 0; run < (options.warmRuns ?? 7); run++) {
      const edited = `${text}\n// edit ${run}\n`;
      server.notify("textDocument/didChange", {
        textDocument: { uri, version: run + 2 },
        contentChanges: [{ text: edited }],
      });
      started = performance.now();
      await complete();
      warm.push(performance.now() - started);
    }
    warm.sort((a, b) => a - b);
    return { firstCompletionMs, warmCompletionMs: warm[Math.floor(warm.length / 2)]! };
  } finally {
    await server.close();
  }
}

function spawnLanguageServer(): ChildProcessWithoutNullStreams {
  const require = createRequire(join(repoRoot, "package.json"));
  const tsc = join(require.resolve("typescript/package.json"), "../bin/tsc");
  return spawn(process.execPath, [tsc, "--lsp", "--stdio"], { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** JSON-RPC 2.0 over stdio with LSP's `Content-Length` framing. */
class LspConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = Buffer.alloc(0);
  private stderr = "";
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    child.stderr.on("data", (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    child.on("exit", (code) => {
      for (const { reject } of this.pending.values()) {
        reject(new Error(`language server exited (${code}): ${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    // No `params` at all (undefined is dropped by JSON.stringify): tsgo rejects `null`.
    await Promise.race([this.request("shutdown", undefined).catch(() => undefined), exited]);
    this.notify("exit", undefined);
    const timer = setTimeout(() => this.child.kill(), 2000);
    await exited;
    clearTimeout(timer);
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as LspMessage);
    }
  }

  private dispatch(message: LspMessage): void {
    if (message.method !== undefined) {
      // A request from the server (configuration, capability registration, progress): an
      // empty answer lets it carry on with its defaults.
      if (message.id !== undefined) {
        const items = (message.params as { items?: unknown[] } | undefined)?.items;
        const result = message.method === "workspace/configuration" ? (items ?? []).map(() => null) : null;
        this.send({ jsonrpc: "2.0", id: message.id, result });
      }
      return;
    }
    const pending = this.pending.get(Number(message.id));
    if (!pending) return;
    this.pending.delete(Number(message.id));
    if (message.error) pending.reject(new Error(`LSP error ${message.error.code}: ${message.error.message}`));
    else pending.resolve(message.result);
  }
}

interface LspMessage {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}
