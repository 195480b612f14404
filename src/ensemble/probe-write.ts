// One write through one server, on a session of its own, over ZooKeeper's wire protocol with no client
// library: connect, open a session (ConnectRequest), setData, close the session. It answers "does this
// server accept a write now?" the way `srvr` answers "does it lead?": at once, with no reconnect policy
// of a client in between (the npm client waits up to a third of its session timeout before it tries a
// server again once it has tried them all). Creating the session is itself a write the leader commits,
// so a server without a working leader fails here too, by closing the connection or by not answering.
//
// Wire format (jute, big-endian; every message is preceded by its length as an int32):
//   ConnectRequest  protocolVersion:int, lastZxidSeen:long, timeOut:int, sessionId:long, passwd:buffer, readOnly:bool
//   ConnectResponse protocolVersion:int, timeOut:int, sessionId:long, passwd:buffer[, readOnly:bool]
//   RequestHeader   xid:int, type:int          (setData 5, closeSession -11)
//   SetDataRequest  path:ustring, data:buffer, version:int
//   ReplyHeader     xid:int, zxid:long, err:int
import net from 'node:net';
import type { ProbeFailures } from '../measure/election-metrics.ts';

const OP_SET_DATA = 5;
const OP_CLOSE_SESSION = -11;

function connectRequest(timeoutMs: number): Buffer {
  const body = Buffer.alloc(4 + 8 + 4 + 8 + 4 + 16 + 1);
  let o = body.writeInt32BE(0, 0); // protocol version
  o = body.writeBigInt64BE(0n, o); // last zxid seen
  o = body.writeInt32BE(timeoutMs, o); // the server clamps it into [minSessionTimeout, maxSessionTimeout]
  o = body.writeBigInt64BE(0n, o); // a new session
  o = body.writeInt32BE(16, o); // password: 16 zero bytes
  body.writeUInt8(0, o + 16); // not read-only
  return framed(body);
}

function setDataRequest(xid: number, path: string, data: Buffer): Buffer {
  const p = Buffer.from(path, 'utf8');
  const body = Buffer.alloc(8 + 4 + p.length + 4 + data.length + 4);
  let o = body.writeInt32BE(xid, 0);
  o = body.writeInt32BE(OP_SET_DATA, o);
  o = body.writeInt32BE(p.length, o);
  o += p.copy(body, o);
  o = body.writeInt32BE(data.length, o);
  o += data.copy(body, o);
  body.writeInt32BE(-1, o); // any version
  return framed(body);
}

function closeSessionRequest(xid: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(xid, 0);
  body.writeInt32BE(OP_CLOSE_SESSION, 4);
  return framed(body);
}

function framed(body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}

/** What one attempt came to: written, or why not (refused, closed, ZooKeeper error code, timeout). */
export type ProbeWriteResult = { ok: true } | { ok: false; why: string };

export function noProbeFailures(): ProbeFailures {
  return { attempts: 0, failed: 0, byError: {} };
}

/** Counts one attempt's result into `tally` (the reason of a failure kept, prefixed by the server). */
export function tallyProbe(tally: ProbeFailures, serverId: number, r: ProbeWriteResult): void {
  tally.attempts++;
  if (r.ok) return;
  const error = `server ${serverId}: ${r.why}`;
  tally.failed++;
  tally.byError[error] = (tally.byError[error] ?? 0) + 1;
  tally.lastError = error;
}

/** A short line on failed attempts: "12 of 15 attempts failed (last: server 2: closed by the server)". */
export function describeProbeFailures(t: ProbeFailures): string {
  return t.failed === 0 ? `${t.attempts} attempt(s), none failed` : `${t.failed} of ${t.attempts} attempt(s) failed (last: ${t.lastError})`;
}

/**
 * Opens a session on host:port and sets `path` (which must exist) to `data`; resolves ok once the server
 * acknowledges the write. The session is closed after (a session of an abandoned attempt expires on its
 * own after the server's minimum session timeout). Never rejects.
 */
export function probeWrite(host: string, port: number, path: string, data: Buffer, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<ProbeWriteResult> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host, port });
    socket.setNoDelay(true);
    let buffered = Buffer.alloc(0);
    let stage: 'connect' | 'set' = 'connect';
    let settled = false;
    const finish = (result: ProbeWriteResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (result.ok) socket.end(closeSessionRequest(2), () => socket.destroy());
      else socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, why: 'stopped' });
    const timer = setTimeout(() => finish({ ok: false, why: `no answer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => socket.write(connectRequest(1)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4) {
        const len = buffered.readInt32BE(0);
        if (buffered.length < 4 + len) return;
        const frame = buffered.subarray(4, 4 + len);
        buffered = buffered.subarray(4 + len);
        if (stage === 'connect') {
          // A session id of 0 (or a frame too short to hold one) means the server would not open it.
          if (frame.length < 16 || frame.readBigInt64BE(8) === 0n) return finish({ ok: false, why: 'session refused' });
          stage = 'set';
          socket.write(setDataRequest(1, path, data));
        } else {
          if (frame.length < 16) return finish({ ok: false, why: 'short reply' });
          const err = frame.readInt32BE(12);
          return finish(err === 0 ? { ok: true } : { ok: false, why: `error ${err}` });
        }
      }
    });
    socket.on('end', () => finish({ ok: false, why: 'closed by the server' }));
    socket.on('close', () => finish({ ok: false, why: 'closed' }));
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, why: err.code ?? err.message }));
  });
}
