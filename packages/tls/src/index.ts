export { buildSniTable } from './build-sni-table.js';
export { CertificateStore } from './certificate-store.js';
export { loadPemFiles, type PemCertificate } from './pem-files.js';
export type { TlsInputs } from './tls-inputs.js';
export type { CertificateAssignment, SniTable } from './sni-table.js';
export type { TlsDiagnostic, TlsDiagnosticCode } from './tls-diagnostic.js';
export { TLS_ERROR_CODES, TlsError, isTlsError, type TlsErrorCode, type TlsErrorOptions } from './errors.js';
