// The driver processes of one external recipe: started when the recipe starts, as a WorkerPool of
// DriverChannels (so runOnSchedule drives them as it drives load processes), closed when it ends. Their
// files (event files, stderr, the JVM's GC log) live in a temporary directory of their own; the GC logs
// are kept for the run directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunClock } from '../measure/clock.ts';
import { WorkerPool } from '../workers/pool.ts';
import { IpcChannel } from '../workers/ipc-channel.ts';
import { driverProcessCount, DRIVERS, externalRecipe, type ExternalRecipeInfo } from './catalog.ts';
import { DriverChannel } from './driver-channel.ts';
import { driverCommand } from './runtime.ts';
import { writeOwner } from '../process/run-owner.ts';

export interface RecipeDrivers {
  info: ExternalRecipeInfo;
  pool: WorkerPool;
  channels: readonly DriverChannel[];
  /** For the result's notes: how the clients were spread. */
  describe(clients: number): string;
  /** Stops the processes (once, however often called); returns their GC logs (run-directory file name → text) and removes their files. */
  close(): Promise<Record<string, string>>;
}

/**
 * `processes`: how many (lock-failover: one per client, so a pause stops one holder); default the driver's
 * share per process. `hostProcess`: the pool starts with one zkbench load process of its own (index 0),
 * before the drivers, for what the scenario keeps on its side (watch-fanout's writer).
 */
export function startDrivers(recipe: string, clients: number, clock: RunClock, processes?: number, hostProcess = false): RecipeDrivers {
  const info = externalRecipe(recipe);
  if (!info) throw new Error(`${recipe} is not an external recipe`);
  const command = driverCommand(info.driver, [recipe]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `zkbench-${info.driver}-`));
  writeOwner(dir); // a coordinator killed with SIGKILL cannot remove it: `zkbench clean` and the next run do
  const count = processes ?? driverProcessCount(info.driver, clients);
  const channels = Array.from({ length: count }, (_, i) => new DriverChannel(i, command, dir));
  const pool = WorkerPool.over(hostProcess ? [new IpcChannel(0), ...channels] : channels, () => clock.now());
  let closing: Promise<Record<string, string>> | undefined;
  const close = async (): Promise<Record<string, string>> => {
    try {
      await pool.close();
      const logs: Record<string, string> = {};
      for (const c of channels) {
        if (c.gcLogFile && fs.existsSync(c.gcLogFile)) logs[`drivers/${recipe}-${c.index}-gc.log`] = fs.readFileSync(c.gcLogFile, 'utf8');
      }
      return logs;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    info,
    pool,
    channels,
    describe: (n) => {
      const each = processes === undefined ? DRIVERS[info.driver].clientsPerProcess : Math.ceil(clients / count);
      return `${n} clients over ${count} ${info.driver} driver process${count === 1 ? '' : 'es'} (${DRIVERS[info.driver].library}; up to ${each} client${each === 1 ? '' : 's'} each)`;
    },
    // Once: the coordinator closes on success for the GC logs, and again in its finally.
    close: () => (closing ??= close()),
  };
}
