/**
 * Test support: a publication whose shards were changed after publishing,
 * re-addressed (new content hashes, manifest and pointer) so the change gets
 * past the content-hash check and reaches the structure and reference checks.
 */
import { contentHash, MANIFEST_PREFIX, SHARD_PREFIX, type Manifest } from '../../src/storage/layout.ts';
import type { Publication } from '../../src/storage/publication.ts';

export async function tamperedPublication(publication: Publication, tamper: (shard: string) => string): Promise<Publication> {
  const values = new Map<string, string>();
  const renamed = new Map<string, string>();
  for (const [key, value] of publication.values) {
    if (!key.startsWith(SHARD_PREFIX)) continue;
    const changed = tamper(value);
    const newKey = SHARD_PREFIX + (await contentHash(changed));
    renamed.set(key, newKey);
    values.set(newKey, changed);
  }
  const pointer = JSON.parse(publication.pointer) as { schema: number; version: string; manifest: string };
  const manifest = JSON.parse(publication.values.get(pointer.manifest)!) as Manifest;
  const rename = (key: string | null) => (key === null ? null : (renamed.get(key) ?? key));
  const newManifest = JSON.stringify({ ...manifest, buckets: manifest.buckets.map(rename), anyHost: rename(manifest.anyHost) });
  const version = await contentHash(newManifest);
  values.set(MANIFEST_PREFIX + version, newManifest);
  return { ...publication, version, values, pointer: JSON.stringify({ ...pointer, version, manifest: MANIFEST_PREFIX + version }) };
}
