// How a message names a zkbench command: `npm run setup` puts no `zkbench` on the PATH, so every hint
// names the npm script that works from the checkout. Messages of every layer use it (ensemble, runner,
// report), so that no hint names a command the user cannot run.

/** The program as `--help` names it. */
export const PROGRAM = 'npm run zkbench --';

/** `zkbench <args>` as the user types it: `bench` through its own script, the rest through `npm run zkbench`. */
export function commandHint(args: string): string {
  const [sub, ...rest] = args.trim().split(/\s+/);
  if (sub === 'bench') return rest.length > 0 ? `npm run bench -- ${rest.join(' ')}` : 'npm run bench';
  return `${PROGRAM} ${args.trim()}`.trimEnd();
}
