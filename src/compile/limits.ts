/**
 * The compiler's limits, as data: what keeps one hostile or careless object
 * from costing more than its share of a compile. Diagnostics name the limit
 * they hit. Kubernetes's own limits are the yardstick: an object the API
 * server would store never comes near these (etcd refuses requests over
 * 1.5 MiB, the API server annotations over 256 KiB in total); only YAML
 * manifests (`edgress compile -f`, `edgress dev -f`) and alias tricks can.
 *
 * @example
 * ```ts
 * if (text.length > COMPILE_LIMITS.manifestDocumentChars) refuse();
 * ```
 */
export const COMPILE_LIMITS = {
  /** Characters of one YAML document of a manifest file (the API server takes 3 MiB requests). */
  manifestDocumentChars: 3 * 1024 * 1024,
  /** Characters of one annotation holding YAML (Kubernetes: 256 KiB for all annotations of an object). */
  annotationYamlChars: 256 * 1024,
  /** Alias nodes (`*name`) in one YAML document or annotation. */
  yamlAliases: 1_000,
  /** Nesting of collections in one YAML document, aliases followed (js-yaml's default is 100). */
  yamlDepth: 100,
  /**
   * Nodes of one manifest document with every alias expanded (a billion laughs
   * expands a few hundred bytes into 10^9 nodes). The largest object etcd
   * stores, 1.5 MiB of JSON, has fewer.
   */
  manifestExpandedNodes: 250_000,
  /** Nodes of one YAML annotation with every alias expanded. */
  annotationExpandedNodes: 10_000,
  /** Diagnostics kept per object; one more says the rest were dropped. */
  diagnosticsPerObject: 100,
} as const;
