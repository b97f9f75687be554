/**
 * `edgress doctor`'s look at this machine: whether the Node that runs
 * edgress satisfies what edgress and its dependencies declare (`engines`),
 * what the system Node on PATH means for the commands a user types, and the
 * tools the deploy steps call.
 *
 * @example
 * ```ts
 * const findings = [...checkNode({ root, version: process.version, path: process.env.PATH ?? '' }), ...checkTools(process.env.PATH ?? '')];
 * ```
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import semver from 'semver';
import { fail, ok, warn, type Finding } from './check.ts';

interface PackageJson {
  readonly engines?: { readonly node?: string };
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

export interface NodeContext {
  /** The repository (where package.json and node_modules are). */
  readonly root: string;
  /** The version of the Node running edgress (`process.version`). */
  readonly version: string;
  readonly path: string;
}

/** Tools a deploy step runs, and what a user without one can do instead. */
export const TOOLS = [
  { name: 'kubectl', step: 'kubectl apply -k deploy/ installs the agent and cloudflared', missing: 'fail', instead: 'install kubectl' },
  { name: 'cloudflared', step: 'cloudflared tunnel create / tunnel token make the tunnel', missing: 'warn', instead: 'or create the tunnel in the dashboard (Networks → Tunnels)' },
  { name: 'kustomize', step: 'kustomize edit set image sets the agent image', missing: 'warn', instead: 'or set images[].newName in deploy/kustomization.yaml by hand; kubectl apply -k needs no kustomize' },
  { name: 'docker', step: 'docker build -f deploy/Dockerfile builds the agent image', missing: 'warn', instead: 'or build deploy/Dockerfile with another OCI builder (podman, buildah)' },
] as const;

export function checkNode(context: NodeContext): Finding[] {
  const own = readPackage(join(context.root, 'package.json'));
  const required = own?.engines?.node ?? '>=22.18.0';
  const names = Object.keys({ ...own?.dependencies, ...own?.devDependencies });
  const unmet = names.flatMap((name) => {
    const range = readPackage(join(context.root, 'node_modules', name, 'package.json'))?.engines?.node;
    return range && !semver.satisfies(context.version, range) ? [`${name} (${range})`] : [];
  });
  if (!semver.satisfies(context.version, required)) unmet.unshift(`edgress (${required})`);
  const findings: Finding[] = [];
  if (unmet.length > 0) findings.push(fail('node', `Node ${context.version} runs edgress, but ${unmet.join(', ')} need another: run npm install (it brings Node 24) and use npx edgress`));
  else findings.push(ok('node', `Node ${context.version} satisfies edgress (${required}) and the engines of its ${names.length} dependencies`));
  const system = systemNode(context);
  if (system && !semver.satisfies(system.version, required)) {
    findings.push(warn('node', `the node on PATH (${system.version}, ${system.path}) is older than ${required}: npm install warns EBADENGINE, as expected; npm scripts, npx edgress and npx wrangler run on the Node that npm install brought (node_modules/.bin/node), so run tools through them`));
  }
  return findings;
}

export function checkTools(path: string): Finding[] {
  return TOOLS.map((tool) => {
    const found = findExecutable(tool.name, path);
    if (found) return ok(tool.name, found);
    const message = `not found on PATH: ${tool.step}; ${tool.instead}`;
    return tool.missing === 'fail' ? fail(tool.name, message) : warn(tool.name, message);
  });
}

export function findExecutable(name: string, path: string): string | undefined {
  for (const directory of path.split(delimiter).filter(Boolean)) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** The first `node` on PATH outside the repository's own node_modules/.bin (which npx puts first). */
function systemNode(context: NodeContext): { version: string; path: string } | undefined {
  const own = resolve(context.root, 'node_modules');
  const path = context.path.split(delimiter).filter((directory) => directory && !resolve(directory).startsWith(own)).join(delimiter);
  const node = findExecutable('node', path);
  if (!node) return undefined;
  const result = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = semver.valid(result.stdout?.trim() ?? '');
  return version ? { version: `v${version}`, path: node } : undefined;
}

function readPackage(path: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}
