// A leader poll that fails is an error with its message, never "no leader".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaderOfAnswers, type SrvrAnswer } from '../../src/ensemble/queries.ts';
import type { ServerInfo } from '../../src/ensemble/types.ts';
import { leaderLost, leaderPollCounts, leaderPollErrorEvents, leaderPollNote } from '../../src/measure/leader-polls.ts';
import type { LeaderSample } from '../../src/measure/timeline.ts';

const server = (id: number): ServerInfo => ({ id, host: `127.0.0.${id + 1}`, clientPort: 2181 });
const says = (id: number, mode: 'leader' | 'follower' | 'standalone' | undefined): SrvrAnswer => ({ server: server(id), srvr: { mode } });
const fails = (id: number, error: string): SrvrAnswer => ({ server: server(id), error });

describe('leaderOfAnswers', () => {
  it('a server in Mode leader (or standalone) is the leader, whoever else did not answer', () => {
    assert.equal(leaderOfAnswers([says(1, 'follower'), says(2, 'leader'), fails(3, 'refused')]).leader?.id, 2);
    assert.deepEqual(leaderOfAnswers([says(1, 'standalone')]), { leader: server(1) });
  });

  it('"no leader" only when every server answered and none leads', () => {
    assert.deepEqual(leaderOfAnswers([says(1, undefined), says(2, undefined), says(3, 'follower')]), { leader: undefined });
  });

  it('a server that did not answer, and no leader among the others: a poll error naming who and why', () => {
    const poll = leaderOfAnswers([says(1, 'follower'), fails(2, 'no answer within 2000 ms'), fails(3, 'connection refused')]);
    assert.equal(poll.leader, undefined);
    assert.equal(poll.error, 'server 2: no answer within 2000 ms; server 3: connection refused');
    assert.match(leaderOfAnswers([]).error ?? '', /no server/);
  });
});

describe('leader poll samples', () => {
  const samples: LeaderSample[] = [
    { atNs: 1, leader: 1 },
    { atNs: 2, leader: undefined, error: 'server 1: refused' },
    { atNs: 3, leader: undefined, error: 'server 1: refused' },
    { atNs: 4, leader: 2, observed: true },
    { atNs: 5, leader: undefined },
    { atNs: 6, leader: undefined, error: 'server 2: timeout' },
  ];

  it('counts failed polls apart from answers without a leader, by error, and leaves out leaders the election watch saw', () => {
    assert.deepEqual(leaderPollCounts(samples), {
      polls: 5,
      withLeader: 1,
      noLeader: 1,
      errors: 3,
      byError: { 'server 1: refused': 2, 'server 2: timeout': 1 },
      lastError: 'server 2: timeout',
    });
    assert.match(leaderPollNote(leaderPollCounts(samples)) ?? '', /3 of 5 polls failed.*last error: server 2: timeout/);
    assert.equal(leaderPollNote(leaderPollCounts(samples.slice(0, 1))), undefined);
  });

  it('an election is under way only when an answer said no leader, never because a poll failed', () => {
    assert.equal(leaderLost(samples.slice(0, 3)), false); // leader, then failed polls: unknown, not lost
    assert.equal(leaderLost(samples), true); // leader, then an answer with none (a failed poll after it changes nothing)
    assert.equal(leaderLost([{ atNs: 1, leader: undefined }]), false); // never had one
  });

  it('marks where each run of failed polls begins on the timeline', () => {
    assert.deepEqual(
      leaderPollErrorEvents(samples, 'r').map((e) => [e.atNs, e.text]),
      [
        [2, 'leader poll failed: server 1: refused'],
        [6, 'leader poll failed: server 2: timeout'],
      ],
    );
  });
});
