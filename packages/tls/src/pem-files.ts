import { readFile } from 'node:fs/promises';
import { TlsError } from './errors.js';

/** A certificate and key given directly (PEM text), rather than through a Secret. */
export interface PemCertificate {
  /** The certificate, leaf first, then any intermediates. */
  readonly cert: string | Buffer;
  /** Its private key, unencrypted. */
  readonly key: string | Buffer;
  /** Hosts it serves (`*.` wildcards allowed); default: the certificate's DNS subjectAltNames. */
  readonly hosts?: readonly string[];
  /** Where it came from, for diagnostics (a file path). */
  readonly source?: string;
}

/**
 * Reads a PEM certificate and key file pair. The contents are checked by the
 * `CertificateStore` that is given the result, as diagnostics, so a reload can report them.
 *
 * @throws TlsError `SWY_TLS_FILE_UNREADABLE` naming the file (field `certFile` or `keyFile`).
 */
export async function loadPemFiles(certFile: string, keyFile: string, hosts?: readonly string[]): Promise<PemCertificate> {
  const [cert, key] = await Promise.all([readPem(certFile, 'certFile'), readPem(keyFile, 'keyFile')]);
  return { cert, key, source: certFile, ...(hosts !== undefined ? { hosts } : {}) };
}

async function readPem(file: string, field: 'certFile' | 'keyFile'): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new TlsError('SWY_TLS_FILE_UNREADABLE', `cannot read the ${field === 'certFile' ? 'certificate' : 'key'} file ${file}: ${why}`, {
      field,
      subject: { kind: 'File', name: file },
      cause: error,
    });
  }
}
