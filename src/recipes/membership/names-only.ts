/**
 * names-only — the address in the child's name: each server creates an EPHEMERAL_SEQUENTIAL child
 * `<address, URI-encoded>#<seq>` of the group node with no data; each client lists the children with a
 * watch and, on every child event, lists them again: one getChildren per change, the addresses read off
 * the names. Apache Dubbo's ZooKeeper registry names provider nodes the same way (the provider's URL,
 * URL-encoded, is the znode's name); seed 001 put the address in the data instead.
 * What breaks it: a name is all a client learns, so anything beyond the address (weights, metadata)
 * needs data reads again, and the recipe becomes reread-data. Every event still transfers the whole child
 * list, which must fit one response (jute.maxbuffer, 1 MB by default: a few thousand long names), and
 * changes between an event and the listing that re-arms the watch bring no event of their own (they are
 * in that listing, coalesced).
 */
import { ZOO_EPHEMERAL_SEQUENTIAL } from '../../zk/binding.ts';
import { MEMBERSHIP_RECIPE_INFO } from './catalog.ts';
import { GroupWatcher, type ResolveAddresses } from './group-watcher.ts';
import type { MembershipRecipe } from './types.ts';

/** Between the address and the sequence number ZooKeeper appends (encodeURIComponent escapes it in the address). */
const SEPARATOR = '#';
const SEQUENCE = /^\d{10}$/;

/** The child name's prefix for an address (ZooKeeper appends the sequence number). */
export function namePrefixOf(address: string): string {
  return `${encodeURIComponent(address)}${SEPARATOR}`;
}

/** The address a child's name carries, or undefined for a name this recipe did not make. */
export function addressOf(child: string): string | undefined {
  const cut = child.lastIndexOf(SEPARATOR);
  if (cut <= 0 || !SEQUENCE.test(child.slice(cut + 1))) return undefined;
  try {
    return decodeURIComponent(child.slice(0, cut));
  } catch {
    return undefined;
  }
}

const readNames: ResolveAddresses = (children, done) => {
  const addresses: string[] = [];
  for (const child of children) {
    const address = addressOf(child);
    if (address === undefined) {
      done(new Error(`child "${child}" carries no address: the group node holds children of another recipe`));
      return;
    }
    addresses.push(address);
  }
  done(undefined, addresses);
};

export const namesOnly: MembershipRecipe = {
  id: 'names-only',
  ...MEMBERSHIP_RECIPE_INFO['names-only'],
  register: (session, groupPath, address) => session.create(`${groupPath}/${namePrefixOf(address)}`, '', ZOO_EPHEMERAL_SEQUENTIAL),
  memberList: (session, groupPath, opts) => new GroupWatcher(session, groupPath, readNames, opts),
};
