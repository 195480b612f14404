// How a run's sessions reach locked-down servers: TLS from the workload's tls_* fields (or the embedded
// ensemble's own CA), SASL from the credentials given (or the embedded ensemble's own user). The TLS
// files must exist before anything starts; --tls-insecure is said loudly, every time.
import fs from 'node:fs';
import { EmbeddedEnsemble, parseConnectString, type Ensemble } from '../ensemble/index.ts';
import { speakTlsTo } from '../ensemble/four-letter-words.ts';
import type { Workload } from '../workload/schema.ts';
import { WorkloadError } from '../workload/validate.ts';
import type { SaslOptions, TlsOptions } from '../zk/security.ts';

/** Loud, in the run's output and in run.json's notes. */
export const TLS_INSECURE_WARNING =
  'WARNING: --tls-insecure: the servers\' certificates are NOT checked (neither the CA chain nor the server name): ' +
  'anyone between this host and the servers can read and change the traffic. Use it for tests only; give --tls-ca instead.';

/** The workload's TLS settings, their files checked; undefined when it asks for no TLS. Throws WorkloadError (nothing started). */
export function workloadTls(w: Workload): TlsOptions | undefined {
  if (w.tlsCa === undefined && w.tlsCert === undefined && w.tlsKey === undefined && !w.tlsInsecure) return undefined;
  if (w.tlsKey !== undefined && w.tlsCert === undefined) {
    throw new WorkloadError('tls_key (--tls-key) without tls_cert (--tls-cert): give the client certificate the key belongs to');
  }
  for (const [field, file] of [['tls_ca', w.tlsCa], ['tls_cert', w.tlsCert], ['tls_key', w.tlsKey]] as const) {
    if (file === undefined) continue;
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
      throw new WorkloadError(`${field} (--${field.replace('_', '-')}): cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the path of a PEM file`);
    }
  }
  return {
    ...(w.tlsCa !== undefined ? { ca: w.tlsCa } : {}),
    ...(w.tlsCert !== undefined ? { cert: w.tlsCert } : {}),
    ...(w.tlsKey !== undefined ? { key: w.tlsKey } : {}),
    ...(w.tlsInsecure ? { insecure: true } : {}),
  };
}

/** Before probing an ensemble reached with --connect over TLS: zkbench's own four-letter words go over TLS too. */
export function speakTlsToConnectString(connect: string, tls: TlsOptions): void {
  const ca = tls.ca !== undefined ? fs.readFileSync(tls.ca, 'utf8') : undefined;
  for (const s of parseConnectString(connect)) speakTlsTo(s.host, s.clientPort, { ...(ca !== undefined ? { ca } : {}), verify: tls.insecure !== true });
}

/** The sessions' TLS and SASL: the embedded ensemble's own when it is locked down, else what the user gave. */
export function sessionSecurity(w: Workload, ensemble: Ensemble, sasl: SaslOptions | undefined): { tls?: TlsOptions; sasl?: SaslOptions } {
  const own = ensemble instanceof EmbeddedEnsemble ? ensemble.clientSecurity : undefined;
  const given = workloadTls(w);
  const tls = own?.tls ? { ...given, ca: own.tls.ca } : given;
  const chosenSasl = sasl ?? own?.sasl;
  return { ...(tls ? { tls } : {}), ...(chosenSasl ? { sasl: chosenSasl } : {}) };
}
