// The writer of the data-watch and exists-watch recipes: setData on one persistent znode; each update
// makes the next data version, which the acknowledgement reports.
import { ensurePath } from '../../zk/tree.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { NodeWriter, WriterOptions } from './types.ts';
import { VersionedWriter } from './versioned-writer.ts';

export function setDataWriter(session: ZkSession, path: string, opts: WriterOptions): NodeWriter {
  const payload = opts.payload ?? Buffer.alloc(0);
  return new VersionedWriter(path, opts.clock, {
    async prepare() {
      await ensurePath(session, path);
      const stat = await session.exists(path);
      if (!stat) throw new Error(`${path} vanished right after it was created: another client is removing it`);
      return { version: stat.version };
    },
    async write() {
      return (await session.set(path, payload)).version;
    },
  });
}
