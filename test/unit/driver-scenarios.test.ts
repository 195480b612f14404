// Each shipped external recipe runs exactly in the scenarios it fits (docs/drivers.md, "Shipped drivers")
// and is refused at load time everywhere else, with an error listing that scenario's known recipes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure } from '../../src/cli/failures.ts';
import { EXIT } from '../../src/process/exit-codes.ts';
import { EXTERNAL_RECIPES } from '../../src/drivers/catalog.ts';
import { validateWorkload } from '../../src/scenarios/catalog.ts';
import { SCENARIOS } from '../../src/scenarios/registry.ts';

/** The table of docs/drivers.md: recipe → the scenarios it runs in. */
const FITS: Record<string, string[]> = {
  'curator-mutex': ['lock-contention', 'lock-failover'],
  'curator-semaphore-mutex': ['lock-contention'],
  'curator-mutex-unchecked': ['lock-contention', 'lock-failover'],
  'kazoo-lock': ['lock-contention', 'lock-failover'],
  'curator-leader-latch': ['election-failover'],
  'curator-leader-selector': ['election-failover'],
  'kazoo-election': ['election-failover'],
  'curator-cache': ['watch-fanout', 'config'],
  'kazoo-datawatch': ['watch-fanout', 'config'],
  'curator-discovery': ['membership'],
  'kazoo-party': ['membership'],
};

describe('external recipes × scenarios', () => {
  it('every shipped external recipe is in the table', () => {
    assert.deepEqual(Object.keys(EXTERNAL_RECIPES).sort(), Object.keys(FITS).sort());
  });

  for (const [recipe, fits] of Object.entries(FITS)) {
    it(`${recipe} is a recipe of ${fits.join(', ')} and of no other scenario`, () => {
      const accepting = SCENARIOS.filter((s) => Object.hasOwn(s.recipes, recipe)).map((s) => s.id);
      assert.deepEqual(accepting.sort(), [...fits].sort());
    });
  }

  it('a misplaced external recipe is a load-time error (exit 2) listing the scenario\'s known recipes', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['kazoo-datawatch', { scenario: 'lock-contention', clients: 4, duration_s: 1 }],
      ['curator-mutex', { scenario: 'watch-fanout', watchers: [2], clients: 2, duration_s: 1 }],
      ['curator-semaphore-mutex', { scenario: 'lock-failover', clients: 2, duration_s: 1 }],
      ['curator-cache', { scenario: 'election-failover', clients: 3, leader_crashes: 1, duration_s: 1 }],
      ['kazoo-party', { scenario: 'config', readers: 2, clients: 3, update_rate: 5, duration_s: 1 }],
      ['kazoo-lock', { scenario: 'membership', clients: 2, members: 2, duration_s: 1 }],
    ];
    for (const [recipe, w] of cases) {
      const scenario = SCENARIOS.find((s) => s.id === w['scenario'])!;
      assert.throws(
        () => validateWorkload('t.yaml', { name: 't', ...w, recipes: [recipe] }),
        (e: unknown) => {
          const { message, code } = describeFailure(e);
          assert.equal(code, EXIT.usage);
          assert.match(message, new RegExp(`"${recipe}" is not a ${scenario.id} recipe`));
          for (const known of Object.keys(scenario.recipes)) assert.ok(message.includes(known), `${known} not listed: ${message}`);
          return true;
        },
      );
    }
  });

  it('watch drivers are accepted beside the TypeScript recipes, and refused with slow watchers', () => {
    const fanout = { name: 't', scenario: 'watch-fanout', watchers: [2], clients: 2, duration_s: 1 };
    assert.deepEqual(validateWorkload('t.yaml', { ...fanout, recipes: ['data-watch', 'curator-cache', 'kazoo-datawatch'] }).recipes, ['data-watch', 'curator-cache', 'kazoo-datawatch']);
    assert.throws(() => validateWorkload('t.yaml', { ...fanout, recipes: ['kazoo-datawatch'], slow_watchers: 1 }), /drivers have no slow watchers \(kazoo-datawatch\)/);
    const config = { name: 't', scenario: 'config', readers: 2, clients: 3, update_rate: 5, duration_s: 1 };
    assert.deepEqual(validateWorkload('t.yaml', { ...config, recipes: ['watch-reread', 'curator-cache'] }).recipes, ['watch-reread', 'curator-cache']);
  });
});
