// Turning the failures users meet into one clear message and an exit code.
import { EXIT } from '../process/exit-codes.ts';

/** Errors in what the user asked for: nothing was started. */
const USAGE_ERRORS = new Set(['WorkerNameTakenError', 'WorkloadError', 'RuleError', 'RunNotFoundError', 'SummaryFormatError', 'NothingToCompareError', 'CredentialError']);

/** Errors that mean "the environment is not ready", by name (some cross a process boundary as names). */
const ENVIRONMENT_ERRORS = new Set([
  'SetupError',
  'UnreachableEnsembleError',
  'SessionsRefusedError',
  'ConnectTimeoutError',
  'ResultsDirError',
  'AddonNotPatchedError',
  'RemoteWorkersMissingError',
  'ClockEchoError',
  'AuthRefusedError',
  'AclDeniedError',
  'ChrootMissingError',
  'SecurityError',
  'KeptEnsembleRunningError',
]);

/** ZSESSIONCLOSEDREQUIRESASLAUTH: the servers require SASL (zookeeper.sessionRequireClientSASLAuth) and the session had none. */
const SASL_REQUIRED = /ZSESSIONCLOSEDREQUIRESASLAUTH|\(-124\)/;

export function describeFailure(err: unknown): { message: string; code: number } {
  const e = err instanceof Error ? err : new Error(String(err));
  if (USAGE_ERRORS.has(e.name)) return { message: e.message, code: EXIT.usage };
  if (ENVIRONMENT_ERRORS.has(e.name)) return { message: e.message, code: EXIT.environment };
  if (SASL_REQUIRED.test(e.message)) {
    return {
      message: `${e.message}: the servers require SASL authentication of every session (zookeeper.sessionRequireClientSASLAuth=true) and this one had none. Fix: give credentials (--auth-file, or ZKBENCH_AUTH=sasl:DIGEST-MD5:USER:PASSWORD).`,
      code: EXIT.environment,
    };
  }
  return { message: e.stack && process.env['ZKBENCH_DEBUG'] ? e.stack : e.message, code: EXIT.failed };
}
