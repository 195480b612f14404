// Refusals before a run starts: a driver whose runtime is missing names the Debian packages and the
// command (exit 3), and a recipe no scenario or driver knows lists the known ones (exit 2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure } from '../../src/cli/failures.ts';
import { EXIT } from '../../src/process/exit-codes.ts';
import { driverProcessCount, EXTERNAL_RECIPES } from '../../src/drivers/catalog.ts';
import { DEFAULT_LOCATIONS, driverCommand } from '../../src/drivers/runtime.ts';
import { validateWorkload } from '../../src/scenarios/catalog.ts';

const LOCK_WORKLOAD = { name: 't', scenario: 'lock-contention', clients: 4, duration_s: 1 };

describe('external drivers: runtimes and refusals', () => {
  it('a missing Python or kazoo stops the run with exit 3, naming python3-kazoo and the install command', () => {
    const missing = () => driverCommand('kazoo', ['kazoo-lock'], { ...DEFAULT_LOCATIONS, python: '/nonexistent/python3' });
    assert.throws(missing, (e: unknown) => {
      const { message, code } = describeFailure(e);
      assert.equal(code, EXIT.environment);
      assert.match(message, /kazoo-lock runs in the kazoo driver/);
      assert.match(message, /apt-get install -y python3-kazoo/);
      return true;
    });
  });

  it("missing Curator jars stop the run with exit 3, naming Debian's Curator packages", () => {
    const missing = () => driverCommand('curator', ['curator-mutex'], { ...DEFAULT_LOCATIONS, javaDir: '/nonexistent' });
    assert.throws(missing, (e: unknown) => {
      const { message, code } = describeFailure(e);
      assert.equal(code, EXIT.environment);
      assert.match(message, /curator-recipes\.jar.* missing from \/nonexistent/);
      assert.match(message, /apt-get install -y libcurator-recipes-java/);
      return true;
    });
  });

  it('the runtimes installed here are found', () => {
    assert.match(driverCommand('kazoo', ['kazoo-lock']).args.join(' '), /kazoo_driver\.py/);
    assert.match(driverCommand('curator', ['curator-mutex']).args.join(' '), /CuratorDriver/);
  });

  it('a recipe unknown to every scenario and driver is a load-time error listing the known ones', () => {
    assert.throws(
      () => validateWorkload('t.yaml', { ...LOCK_WORKLOAD, recipes: ['curator-nope'] }),
      (e: unknown) => {
        const { message, code } = describeFailure(e);
        assert.equal(code, EXIT.usage);
        for (const known of ['predecessor', ...Object.keys(EXTERNAL_RECIPES)]) assert.ok(message.includes(known), `${known} not listed: ${message}`);
        return true;
      },
    );
    assert.deepEqual(validateWorkload('t.yaml', { ...LOCK_WORKLOAD, recipes: ['predecessor', 'curator-mutex', 'kazoo-lock'] }).recipes, ['predecessor', 'curator-mutex', 'kazoo-lock']);
  });

  it('an open loop (rate) is refused for external recipes: their drivers run closed loops', () => {
    assert.throws(() => validateWorkload('t.yaml', { ...LOCK_WORKLOAD, recipes: ['predecessor', 'kazoo-lock'], rate: 50 }), /drivers run closed loops only \(kazoo-lock\)/);
  });

  it('Python clients are spread 50 to a process; a JVM takes 500', () => {
    assert.equal(driverProcessCount('kazoo', 100), 2);
    assert.equal(driverProcessCount('kazoo', 1000), 20);
    assert.equal(driverProcessCount('kazoo', 3), 1);
    assert.equal(driverProcessCount('curator', 1000), 2);
  });
});
