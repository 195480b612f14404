// ensemble-failover's clients replace an expired session before going on: a replacement that fails is
// counted with its reason and tried again, and the ended handle is never handed out again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replacementFigures, SessionReplacer, type SessionSlot } from '../../src/scenarios/ensemble-failover/replacements.ts';
import { scalarValue } from '../../src/measure/metrics.ts';

interface Handle {
  readonly name: string;
  state: string;
}

/** A slot as SessionSet keeps it: emptied when its session is closed for a replacement, refilled when one opens. */
function slotOf(first: Handle, opens: (Handle | Error)[]): SessionSlot<Handle> & { tries: number } {
  let current: Handle | undefined = first;
  return {
    tries: 0,
    held: () => current,
    async replace() {
      this.tries++;
      if (current) current.state = 'closed';
      current = undefined;
      const next = opens.shift() ?? new Error('nothing more to open');
      if (next instanceof Error) throw next;
      current = next;
      return next;
    },
  };
}

describe('SessionReplacer', () => {
  it('keeps a live session when the failure was not an expiry', async () => {
    const live = { name: 'a', state: 'disconnected' };
    const slot = slotOf(live, []);
    assert.equal(await new SessionReplacer(new AbortController().signal, async () => undefined).next(slot, false), live);
    assert.equal(slot.tries, 0);
  });

  it('replaces an expired session, counts each failed replacement with its reason, and never hands back the ended handle', async () => {
    const old = { name: 'old', state: 'expired' };
    const fresh = { name: 'fresh', state: 'connected' };
    const slot = slotOf(old, [new Error('no session with 127.0.0.2:2181 within 4000 ms'), new Error('no session with 127.0.0.2:2181 within 4000 ms'), new Error('refused'), fresh]);
    let pauses = 0;
    const replacer = new SessionReplacer(new AbortController().signal, async () => void pauses++);
    assert.equal(await replacer.next(slot, true), fresh);
    assert.equal(slot.tries, 4);
    assert.equal(pauses, 3, 'a pause after each failure');
    assert.deepEqual(replacer.failures, { 'no session with 127.0.0.2:2181 within 4000 ms': 2, refused: 1 });
  });

  it('a closed handle is replaced even when the error did not say expired', async () => {
    const fresh = { name: 'fresh', state: 'connected' };
    const slot = slotOf({ name: 'old', state: 'closed' }, [fresh]);
    assert.equal(await new SessionReplacer(new AbortController().signal, async () => undefined).next(slot, false), fresh);
  });

  it('stops trying when the run stops, with no session rather than the ended one', async () => {
    const stop = new AbortController();
    const slot = slotOf({ name: 'old', state: 'expired' }, []);
    const replacer = new SessionReplacer(stop.signal, async () => stop.abort());
    assert.equal(await replacer.next(slot, true), undefined);
    assert.deepEqual(replacer.failures, { 'nothing more to open': 1 });
  });
});

describe('replacementFigures', () => {
  it('sums failed replacements over the load processes, with the reasons in a note', () => {
    const f = replacementFigures([{ replacementFailures: { refused: 2 } }, { replacementFailures: { refused: 1, 'timed out': 1 } }, { replacementFailures: {} }]);
    assert.equal(scalarValue(f.metrics, 'session_replacements_failed'), 4);
    assert.deepEqual(f.notes, ['4 fresh session(s) in place of expired ones could not be opened (the client tried again): 3× refused; 1× timed out']);
    const none = replacementFigures([{ replacementFailures: {} }]);
    assert.equal(scalarValue(none.metrics, 'session_replacements_failed'), 0);
    assert.deepEqual(none.notes, []);
  });
});
