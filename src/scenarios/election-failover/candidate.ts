// The load-process side of election-failover: one candidate campaigns on the process's session, says when
// it leads and when it learns it no longer does, closes its session on the coordinator's word, and
// campaigns again on a fresh session when told to rejoin (after a close), when its session expired (after
// a pause), or when a request of its campaign failed. A crash or a pause needs nothing here: the
// coordinator SIGKILLs or SIGSTOPs this process, and a paused leader, continued, goes on believing it leads
// until its client reports the session expired.
import type { RunClock } from '../../measure/clock.ts';
import { IntervalRecorder } from '../../measure/timeline.ts';
import { AcquireAbortedError } from '../../recipes/lock/types.ts';
import { electionRecipe, type Leadership } from '../../recipes/election/index.ts';
import { isZkError } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ScenarioLink, ScenarioRun } from '../../workers/load-side.ts';
import type { RunWindow } from '../../measure/measured-window.ts';
import type { CandidateReport, ElectionPlan, FromCandidate, ToCandidate } from './plan.ts';

const MAX_ERROR_MESSAGES = 5;

export function start(planJson: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal, link: ScenarioLink): ScenarioRun {
  const plan = planJson as ElectionPlan;
  const recipe = electionRecipe(plan.recipe);
  const { candidate } = plan;
  // Nothing is posted after the stop: the sessions closing then are the run's teardown, not a failure.
  const post = (m: FromCandidate): void => {
    if (!stop.aborted) link.post(m);
  };
  const timeline = new IntervalRecorder(window.measureFrom);
  const errors = new Map<string, number>();
  const errorMessages: string[] = [];
  let terms = 0;
  let termsMeasured = 0;
  let leadership: Leadership | undefined;

  const rejoin = (): void => {
    if (stop.aborted) return;
    sessions.replace(0).then(campaign, (err: unknown) => {
      countError(err);
      post({ type: 'failed', candidate, message: `no fresh session to rejoin: ${err instanceof Error ? err.message : String(err)}` });
    });
  };
  const countError = (err: unknown): void => {
    const name = isZkError(err) ? err.codeName : 'other';
    errors.set(name, (errors.get(name) ?? 0) + 1);
    if (errorMessages.length < MAX_ERROR_MESSAGES) errorMessages.push(err instanceof Error ? err.message : String(err));
    timeline.failed(clock.now());
  };

  const campaign = async (): Promise<void> => {
    const session = sessions.at(0);
    const campaignNs = clock.now();
    let led: Leadership;
    try {
      led = await recipe.candidate(session, plan.electionPath).campaign(stop);
    } catch (err) {
      if (err instanceof AcquireAbortedError || stop.aborted) return;
      // A request lost with its connection: start over on a fresh session (the old one takes its node with it).
      countError(err);
      rejoin();
      return;
    }
    const leadNs = clock.now();
    leadership = led;
    terms++;
    if (leadNs >= window.measureFrom) termsMeasured++;
    // No timeline op: a campaign's length is the candidate's place in line, not a request's latency (the
    // coordinator puts every "leads" in the timeline as an event).
    post({ type: 'leading', candidate, campaignNs, leadNs });
    const why = await led.ended;
    const atNs = clock.now();
    leadership = undefined;
    timeline.event(atNs, 'election', `candidate ${candidate} no longer leads (${why})`);
    post({ type: 'ended', candidate, atNs, why });
    // Expired (a pause, or a session lost on its own): campaign again. Closed: the coordinator says when.
    if (why === 'session-expired') rejoin();
  };
  void campaign();

  const done = new Promise<CandidateReport>((resolve) => {
    const finish = (): void => resolve({ errors: Object.fromEntries(errors), errorMessages });
    if (stop.aborted) finish();
    else stop.addEventListener('abort', finish, { once: true });
  });
  return {
    counts: () => ({ completed: terms, measured: termsMeasured }),
    timeline,
    done,
    onMessage(data: unknown) {
      const m = data as ToCandidate;
      if (m.type === 'close') {
        const led = leadership !== undefined;
        const atNs = clock.now();
        if (led) sessions.at(0).close();
        post({ type: 'closed', candidate, atNs, led });
      } else if (m.type === 'rejoin') {
        rejoin();
      }
    },
  };
}
