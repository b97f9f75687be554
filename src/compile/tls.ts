/**
 * `spec.tls` Secrets. TLS terminates at the edge, so a bad Secret is only a
 * warning (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe), never an outage: the Secret must exist, have type
 * `kubernetes.io/tls` and carry non-empty PEM in `tls.crt` and `tls.key`.
 *
 * @example
 * ```ts
 * checkTls(ingress, cluster, report);
 * // warning InvalidTLSSecret Ingress shop/web spec.tls[0].secretName: Secret "web-tls" not found …
 * ```
 */
import type { ClusterObjects } from './cluster.ts';
import { quote, type Reporter } from './diagnostics.ts';
import { asString } from './read/fields.ts';
import type { IngressModel } from './read/ingress.ts';
import type { SecretModel } from './read/objects.ts';

const TLS_TYPE = 'kubernetes.io/tls';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Reports every problem of the Secrets named in `spec.tls`. */
export function checkTls(ingress: IngressModel, cluster: ClusterObjects, report: Reporter): void {
  for (const { field, secretName } of ingress.tls) {
    if (secretName === undefined) continue;
    const secret = cluster.secret(ingress.meta.namespace, secretName);
    const problems = secret ? secretProblems(secret) : ['not found'];
    if (problems.length > 0) {
      report.warn('InvalidTLSSecret', field, `Secret ${quote(secretName)}: ${problems.join('; ')} (TLS still terminates at the edge)`);
    }
  }
}

function secretProblems(secret: SecretModel): string[] {
  const problems: string[] = [];
  if (secret.type !== TLS_TYPE) problems.push(`type is ${quote(secret.type ?? '')}, not ${TLS_TYPE}`);
  for (const key of ['tls.crt', 'tls.key']) {
    const text = secretText(secret, key);
    if (text === undefined) problems.push(`${key} is not valid base64`);
    else if (text === '') problems.push(`${key} is missing or empty`);
    else if (!isPem(text)) problems.push(`${key} is not PEM`);
  }
  return problems;
}

/** `stringData` wins over `data`, as the API server merges them; undefined when `data` is not base64. */
function secretText(secret: SecretModel, key: string): string | undefined {
  const plain = asString(secret.stringData[key]);
  if (plain !== undefined) return plain;
  const encoded = asString(secret.data[key]) ?? '';
  try {
    return atob(encoded.replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
}

/** At least one block, and every block's body is base64 (header lines such as `Proc-Type:` allowed). */
export function isPem(text: string): boolean {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0 || blocks.length !== text.split('-----BEGIN ').length - 1) return false;
  return blocks.every(([, , body = '']) => {
    const data = body.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.includes(':')).join('');
    return data !== '' && /^[A-Za-z0-9+/]+={0,2}$/.test(data);
  });
}
