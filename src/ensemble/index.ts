// Public face of src/ensemble: where ZooKeeper servers come from and what can be asked of them.
export type { Ensemble, EnsembleSettings, ServerInfo } from './types.ts';
export { DEFAULT_ENSEMBLE_SETTINGS, sessionTimeoutBounds } from './types.ts';
export { fourLetterWord, parseSrvr, parseConf, type ServerMode, type SrvrInfo } from './four-letter-words.ts';
export { findZooKeeperInstallation, findJava, SetupError, QUORUM_PEER_MAIN, type ZooKeeperInstallation } from './installation.ts';
export { freeLoopbackPorts } from './free-ports.ts';
export { startEmbeddedEnsemble, EmbeddedEnsemble, logTail, type EmbeddedServerInfo, type StartEmbeddedOptions } from './embedded.ts';
export { connectExistingEnsemble, parseConnectString, ObservedEnsemble, UnreachableEnsembleError } from './existing.ts';
export {
  upKeptEnsemble,
  keptEnsembleStatus,
  downKeptEnsemble,
  openKeptEnsemble,
  keptStateFile,
  type KeptEnsembleState,
  type KeptEnsembleStatus,
  type KeptServer,
  type KeptServerStatus,
} from './kept.ts';
export { processCpuSeconds, isRunning } from './proc-stat.ts';
export { stopProcess, killProcess, waitForExit } from './stop-process.ts';
export { probeServer, findLeader } from './queries.ts';
