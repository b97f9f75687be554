/**
 * The parts of `wrangler.toml` that `edgress dev` needs to run the worker the
 * way `wrangler deploy` would: entry point, compatibility settings, KV and
 * Durable Object bindings, vars (top level, then `[env.dev.vars]` over them).
 *
 * @example
 * ```ts
 * const config = await readWranglerConfig('wrangler.toml');
 * config.kvBindings; // ['TABLE']
 * ```
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { z } from 'zod';

const WranglerTomlSchema = z.object({
  name: z.string().optional(),
  main: z.string(),
  compatibility_date: z.string(),
  compatibility_flags: z.array(z.string()).default([]),
  kv_namespaces: z.array(z.object({ binding: z.string() }).loose()).default([]),
  durable_objects: z
    .object({ bindings: z.array(z.object({ name: z.string(), class_name: z.string() }).loose()).default([]) })
    .loose()
    .optional(),
  vars: z.record(z.string(), z.string()).default({}),
  migrations: z.array(z.object({ new_sqlite_classes: z.array(z.string()).optional() }).loose()).default([]),
  env: z.record(z.string(), z.object({ vars: z.record(z.string(), z.string()).optional() }).loose()).optional(),
}).loose();

export interface WranglerConfig {
  /** Absolute path of the worker's entry module. */
  readonly main: string;
  readonly name: string;
  readonly compatibilityDate: string;
  readonly compatibilityFlags: readonly string[];
  readonly kvBindings: readonly string[];
  /** Durable Object binding name → exported class name. */
  readonly durableObjects: Readonly<Record<string, string>>;
  /** Durable Object classes whose migrations declare them SQLite-backed (`new_sqlite_classes`). */
  readonly sqliteClasses: readonly string[];
  /** Top-level vars with `[env.dev.vars]` applied over them. */
  readonly vars: Readonly<Record<string, string>>;
}

export async function readWranglerConfig(path: string): Promise<WranglerConfig> {
  const raw = checked(path, await readFile(path, 'utf8'));
  const durableObjects: Record<string, string> = {};
  for (const binding of raw.durable_objects?.bindings ?? []) durableObjects[binding.name] = binding.class_name;
  return {
    main: resolve(dirname(path), raw.main),
    name: raw.name ?? 'edgress',
    compatibilityDate: raw.compatibility_date,
    compatibilityFlags: raw.compatibility_flags,
    kvBindings: raw.kv_namespaces.map((namespace) => namespace.binding),
    durableObjects,
    sqliteClasses: raw.migrations.flatMap((migration) => migration.new_sqlite_classes ?? []),
    vars: { ...raw.vars, ...raw.env?.dev?.vars },
  };
}

/**
 * The parsed file, or an error of one line naming the file and what is wrong
 * (the CLI's errors are one line; smol-toml and zod write several).
 */
function checked(path: string, text: string): z.infer<typeof WranglerTomlSchema> {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw new Error(`--wrangler-config ${path}: not valid TOML: ${first}${where}`);
  }
  const result = WranglerTomlSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const what = issue.code === 'invalid_type' ? `expected a ${issue.expected}` : issue.message;
    return `${issue.path.join('.') || '(top level)'}: ${what}`;
  });
  throw new Error(`--wrangler-config ${path}: ${problems.join('; ')}`);
}
