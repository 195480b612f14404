// Before a run starts: every external recipe it names has its driver's runtime here (and the Curator
// driver compiled), or the run stops now with a SetupError (exit 3) naming the package and the command.
import { externalRecipe, type DriverId } from './catalog.ts';
import { driverCommand } from './runtime.ts';

export function refuseMissingDrivers(recipes: readonly string[]): void {
  const byDriver = new Map<DriverId, string[]>();
  for (const r of recipes) {
    const info = externalRecipe(r);
    if (info) byDriver.set(info.driver, [...(byDriver.get(info.driver) ?? []), r]);
  }
  for (const [driver, named] of byDriver) driverCommand(driver, named);
}
