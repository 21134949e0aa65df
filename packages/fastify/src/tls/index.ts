export { CertificateStore } from './certificate-store.js';
export { loadPemFiles, type PemCertificate } from './pem-files.js';
export type { TlsInputs } from './tls-inputs.js';
export type { CertificateAssignment } from './sni-table.js';
export type { TlsDiagnostic, TlsDiagnosticCode } from './tls-diagnostic.js';
