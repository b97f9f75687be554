/**
 * Runs the real `edgress` CLI, as a user would, and talks HTTP to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');
const CLI = join(REPO, 'bin/edgress.mjs');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  /** Added to (or, undefined, removed from) this process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Runs `edgress <args>` to completion. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runProgram(process.execPath, [CLI, ...args], options);
}

/** Runs any program to completion, collecting its output. */
export function runProgram(command: string, args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env = Object.fromEntries(Object.entries({ ...process.env, ...options.env }).filter(([, value]) => value !== undefined));
    const child = spawn(command, args, { cwd: options.cwd ?? REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

export interface DevProcess {
  readonly url: URL;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Waits until the output matches (e.g. a reload line). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** Starts `edgress dev <args> --port 0` and resolves once it is serving. */
export async function startDev(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<DevProcess> {
  const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', ...args], { cwd: options.cwd ?? REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const waitFor = (pattern: RegExp, timeoutMs = options.timeoutMs ?? 30_000) =>
    new Promise<void>((resolvePromise, reject) => {
      const check = () => {
        if (pattern.test(output)) {
          listeners.delete(check);
          clearTimeout(timer);
          resolvePromise();
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${pattern} in edgress dev output:\n${output}`));
      }, timeoutMs);
      child.once('exit', (code) => {
        if (!pattern.test(output)) reject(new Error(`edgress dev exited (${code}) before ${pattern}:\n${output}`));
      });
      listeners.add(check);
      check();
    });
  await waitFor(/serving \d+ routes on (http:\/\/\S+)/);
  const origin = /serving \d+ routes on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
  return {
    url: new URL(origin),
    child,
    output: () => output,
    waitFor,
    stop: () =>
      new Promise((resolvePromise) => {
        if (child.exitCode !== null) return resolvePromise(child.exitCode);
        child.once('exit', (code) => resolvePromise(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Writes files into a fresh temporary directory and returns its path. */
export async function tempDir(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgress-e2e-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly httpVersion: string;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  readonly method?: string;
  /** Host header to send (any host; the connection goes to the dev server). */
  readonly host?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly localAddress?: string;
}

/** One request to the dev server with a chosen Host header (fetch cannot set Host). */
export function request(base: URL, path: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      {
        host: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port,
        method: options.method ?? 'GET',
        path,
        localAddress: options.localAddress,
        headers: { ...(options.host !== undefined ? { host: options.host } : {}), ...options.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            httpVersion: res.httpVersion,
            json: <T>() => JSON.parse(body) as T,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
