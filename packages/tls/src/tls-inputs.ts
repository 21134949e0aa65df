import type { Ingress, IngressClass, Secret } from '@switchyard/core';
import type { PemCertificate } from './pem-files.js';

/** Everything a `CertificateStore` is built from; every part is optional. */
export interface TlsInputs {
  /**
   * Ingresses; only those in scope (`ingressClass` / `ingressClasses`, the rule of core's
   * `compile` and `IngressClassScope`) and valid give spec.tls entries. Out-of-scope and
   * invalid ones are left out silently here: `compile` reports them.
   */
  readonly ingresses?: readonly Ingress[];
  readonly ingressClass?: string;
  readonly ingressClasses?: readonly IngressClass[];
  /** Secrets (type `kubernetes.io/tls`; `data` base64, `stringData` plain); spec.tls[i].secretName is looked up in the Ingress's namespace. */
  readonly secrets?: readonly Secret[];
  /** Certificates given directly (PEM files); they serve their hosts after the Ingresses' claims. */
  readonly certificates?: readonly PemCertificate[];
  /** Served when the SNI name is absent or no certificate serves it (and to hosts whose own certificate is unusable). */
  readonly defaultCertificate?: PemCertificate;
}
