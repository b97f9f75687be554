/**
 * How edgress records that it created something for a host: a TXT record
 * beside the host (`_edgress.<host>`; `_edgress._wildcard.<parent>` for
 * `*.<parent>`, since `*` may only be a whole leftmost label) holding
 * `heritage=edgress,owner=<owner id>,worker=<worker>`. The TXT is the proof:
 * the agent changes or deletes only what a TXT with its owner id claims, so
 * two installations (different `--owner-id`) sharing a zone never touch each
 * other's hosts. Records it writes also carry a comment naming the owner, for
 * people reading the dashboard and to tell our record changed by hand from a
 * foreign one.
 *
 * @example
 * ```ts
 * registryName('*.example.com'); // '_edgress._wildcard.example.com'
 * parseRegistry('"heritage=edgress,owner=prod,worker=edgress"'); // { owner: 'prod', worker: 'edgress' }
 * ```
 */

const PREFIX = '_edgress.';
const WILDCARD_LABEL = '_wildcard.';
/** Free plans allow 100 characters of comment (paid: 500). */
export const MAX_COMMENT_LENGTH = 100;
/** What an owner id may be: short, and safe inside a TXT value and a comment. */
export const OWNER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** The content of an originless proxied record: the Worker is the origin. */
export const ORIGINLESS_ADDRESS = '100::';

export function registryName(host: string): string {
  return host.startsWith('*.') ? `${PREFIX}${WILDCARD_LABEL}${host.slice(2)}` : `${PREFIX}${host}`;
}

/** The host a registry TXT name stands for, or undefined for any other name. */
export function hostOfRegistryName(name: string): string | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const rest = name.slice(PREFIX.length);
  return rest.startsWith(WILDCARD_LABEL) ? `*.${rest.slice(WILDCARD_LABEL.length)}` : rest;
}

export function registryContent(owner: string, worker: string): string {
  return `"heritage=edgress,owner=${owner},worker=${worker}"`;
}

export interface RegistryEntry {
  readonly owner: string;
  readonly worker: string;
}

/** The owner a registry TXT names; undefined when it is not edgress's (quotes optional). */
export function parseRegistry(content: string): RegistryEntry | undefined {
  const fields = new Map(
    content
      .replace(/^"|"$/g, '')
      .split(',')
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const),
  );
  const owner = fields.get('owner');
  if (fields.get('heritage') !== 'edgress' || !owner) return undefined;
  return { owner, worker: fields.get('worker') ?? '' };
}

/** The comment on records this installation writes. */
export function ownerComment(owner: string): string {
  return `managed by edgress (owner ${owner}); see _edgress TXT`.slice(0, MAX_COMMENT_LENGTH);
}
