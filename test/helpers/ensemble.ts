// A real embedded ensemble shared by the tests of one file, stopped in after() whatever happens.
import { after, before } from 'node:test';
import { startEmbeddedEnsemble, type EmbeddedEnsemble, type EnsembleSettings } from '../../src/ensemble/index.ts';

export const TEST_ENSEMBLE: EnsembleSettings = { servers: 3, tickTimeMs: 2000, maxClientCnxns: 0, heapMb: 256, commitWakeupGuardMs: 1, minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40_000 };

/** Registers before/after hooks; the returned getter is valid inside tests. */
export function sharedEnsemble(settings: Partial<EnsembleSettings> = {}): () => EmbeddedEnsemble {
  let ensemble: EmbeddedEnsemble | undefined;
  before(async () => {
    ensemble = await startEmbeddedEnsemble({ ...TEST_ENSEMBLE, ...settings });
  });
  after(async () => {
    await ensemble?.close();
  });
  return () => {
    if (!ensemble) throw new Error('ensemble not started');
    return ensemble;
  };
}
