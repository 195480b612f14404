/**
 * reread-data — seed 001's server list ("实时更新server列表", AppServer/AppClient): each server creates an
 * EPHEMERAL_SEQUENTIAL child `sub<seq>` of the group node with its address as the data; each client lists
 * the group's children with a watch and, on every child event, lists them again and reads every child's
 * data to learn the addresses (getChildren with a watch, then getData of each child).
 * What breaks it: cost and delay grow with the group. Every change costs every client 1 + S requests
 * (S children), and its new list is ready only when the last of them is answered, so a large group
 * converges slower and loads the servers S times more than the change needs. A child that disappears
 * between the listing and its getData (ZNONODE) is left out: it is gone, and its deletion's event is
 * already on its way. A cache of known children's addresses would remove the cost, and is exactly the
 * step from this recipe to names-only.
 */
import { ZNONODE, ZOK, ZOO_EPHEMERAL_SEQUENTIAL } from '../../zk/binding.ts';
import { ZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import { MEMBERSHIP_RECIPE_INFO } from './catalog.ts';
import { GroupWatcher, type ResolveAddresses } from './group-watcher.ts';
import type { MembershipRecipe } from './types.ts';

/** The seed's child name prefix; ZooKeeper appends the 10-digit sequence number. */
const CHILD_PREFIX = 'sub';

function readEveryChild(session: ZkSession, groupPath: string): ResolveAddresses {
  return (children, done, countRead) => {
    const addresses: (string | undefined)[] = new Array(children.length);
    let pending = children.length;
    let failed = false;
    if (pending === 0) {
      done(undefined, []);
      return;
    }
    children.forEach((child, i) => {
      const path = `${groupPath}/${child}`;
      countRead();
      session.getDataWithCallback(path, (rc, data) => {
        if (failed) return;
        if (rc === ZOK && data) addresses[i] = data.toString('utf8');
        else if (rc !== ZNONODE) {
          failed = true;
          done(new ZkError(rc, 'get', path));
          return;
        }
        if (--pending === 0) done(undefined, addresses.filter((a): a is string => a !== undefined));
      });
    });
  };
}

export const rereadData: MembershipRecipe = {
  id: 'reread-data',
  ...MEMBERSHIP_RECIPE_INFO['reread-data'],
  register: (session, groupPath, address) => session.create(`${groupPath}/${CHILD_PREFIX}`, Buffer.from(address, 'utf8'), ZOO_EPHEMERAL_SEQUENTIAL),
  memberList: (session, groupPath, opts) => new GroupWatcher(session, groupPath, readEveryChild(session, groupPath), opts),
};
