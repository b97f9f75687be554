/**
 * `pass-tls-client-cert` (`pass-client-tls-cert`, `pass-tls-cert`): the
 * client's own copies of both headers are removed first (anti-spoofing, as
 * Traefik did; proxy hygiene already drops every client `X-Forwarded-*`),
 * then the verified client certificate the edge saw is described in them
 * (see `./certificate.ts` for the formats and what the platform cannot give).
 */
import type { MiddlewareFactory } from '../types.ts';
import { infosHeader, pemHeader, verifiedCertificate } from './certificate.ts';

export const CLIENT_CERT_HEADER = 'X-Forwarded-Tls-Client-Cert';
export const CLIENT_CERT_INFOS_HEADER = 'X-Forwarded-Tls-Client-Cert-Infos';

export const passTlsClientCert: MiddlewareFactory<'pass-tls-client-cert'> = (config) => {
  const { pem, infos } = config;
  const wantsInfos = infos.notBefore || infos.notAfter || infos.sans || infos.subject.length > 0 || infos.issuer.length > 0;
  return function passClientCertificate(context, next) {
    context.headers.delete(CLIENT_CERT_HEADER);
    context.headers.delete(CLIENT_CERT_INFOS_HEADER);
    const certificate = verifiedCertificate(context.request);
    if (certificate) {
      const pemValue = pem ? pemHeader(certificate) : undefined;
      if (pemValue) context.headers.set(CLIENT_CERT_HEADER, pemValue);
      const infosValue = wantsInfos ? infosHeader(certificate, infos) : undefined;
      if (infosValue) context.headers.set(CLIENT_CERT_INFOS_HEADER, infosValue);
    }
    return next();
  };
};
