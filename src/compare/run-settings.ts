// What makes two runs comparable (docs/comparing-runs.md): the settings, read from run.json, that change
// the figures by themselves. Two runs that differ in any of them measure different things, and a ratio
// between them says nothing about the code. Pure: parsed run.json in, settings and differences out.

/** The settings of one workload's run that must match for its figures to be compared. */
export interface RunSettings {
  workload: string;
  scenario: string;
  recipes: string;
  clients: number | undefined;
  /** Measured seconds per recipe, or the acquisitions per client when the run counts those instead. */
  duration: string;
  /** Open-loop pacing (rate, per, or updates per second); "closed loop" when the workload sets none. */
  rate: string;
  servers: number | undefined;
  ensemble: string;
  /** The npm zookeeper client and the zkbench patch level applied to it. */
  client: string;
  machine: string;
}

/** How a run ended, as far as comparing it goes: anything but a completed, whole run is refused. */
export interface RunState {
  outcome: string;
  partial: boolean;
}

const SETTING_NAMES: Record<Exclude<keyof RunSettings, 'workload'>, string> = {
  scenario: 'scenario',
  recipes: 'recipes',
  clients: 'clients',
  duration: 'duration',
  rate: 'rate',
  servers: 'servers',
  ensemble: 'ensemble',
  client: 'client',
  machine: 'machine',
};

type Doc = Record<string, unknown>;
const obj = (v: unknown): Doc => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function durationOf(w: Doc): string {
  const d = num(w['durationS']);
  if (d !== undefined) return `${d} s`;
  const a = num(w['acquisitions']);
  return a !== undefined ? `${a} acquisitions per client` : 'unknown';
}

function rateOf(w: Doc): string {
  const rate = num(w['rate']);
  if (rate !== undefined) return `${rate} per ${str(w['ratePer']) ?? 'client'} per s`;
  const perS = num(w['ratePerS']);
  if (perS !== undefined) return `${perS} per s`;
  return 'closed loop';
}

/**
 * TLS changes the figures by itself (docs/tls-sasl.md): a TLS run and a plaintext one differ in their
 * ensemble's connection. Empty for a plaintext run, so runs recorded before TLS existed still compare.
 * (SASL is not seen here: its credentials are not in run.json, and past the connect it costs nothing measurable.)
 */
function securityOf(w: Doc, e: Doc): string {
  const tls = obj(e['settings'])['security'] === 'tls' || w['tlsCa'] !== undefined || w['tlsCert'] !== undefined || w['tlsInsecure'] === true;
  const sasl = obj(e['settings'])['security'] === 'sasl';
  return tls ? ' over TLS' : sasl ? ' (SASL required)' : '';
}

/** The settings recorded in one run.json (SPEC §3). */
export function settingsOf(runJson: unknown): RunSettings {
  const doc = obj(runJson);
  const w = obj(doc['workload']);
  const e = obj(doc['ensemble']);
  const v = obj(doc['versions']);
  const h = obj(doc['host']);
  const recipes = Array.isArray(w['recipes']) ? (w['recipes'] as unknown[]).map(String).join(', ') : 'unknown';
  return {
    workload: str(w['name']) ?? 'unknown',
    scenario: str(w['scenario']) ?? 'unknown',
    recipes,
    clients: num(w['clients']),
    duration: durationOf(w),
    rate: rateOf(w),
    servers: num(e['servers']),
    ensemble: `${str(e['kind']) ?? 'unknown'} ZooKeeper ${str(e['serverVersion']) ?? str(v['zookeeperServer']) ?? 'version unknown'}${securityOf(w, e)}`,
    client: str(v['zookeeperClient']) ?? 'unknown',
    // $ZKBENCH_MACHINE at run time names a class of hosts (CI runners) and stands for the hostname.
    machine: `${str(h['machine']) ?? str(h['hostname']) ?? 'unknown host'}, ${num(h['cpus']) ?? '?'} cores`,
  };
}

export function stateOf(runJson: unknown): RunState {
  const doc = obj(runJson);
  return { outcome: str(doc['outcome']) ?? 'unknown', partial: doc['partial'] === true };
}

/** Each setting that differs, as "clients 20 vs 100". */
export function settingDifferences(a: RunSettings, b: RunSettings): string[] {
  const out: string[] = [];
  for (const [key, name] of Object.entries(SETTING_NAMES) as [keyof typeof SETTING_NAMES, string][]) {
    if (a[key] !== b[key]) out.push(`${name} ${a[key] ?? 'unknown'} vs ${b[key] ?? 'unknown'}`);
  }
  return out;
}

/** Why a run cannot stand for its settings: not completed, or partial; empty when it can. */
export function stateProblems(state: RunState): string[] {
  const out: string[] = [];
  if (state.outcome !== 'completed') out.push(`outcome "${state.outcome}" (not every recipe ran to its end)`);
  if (state.partial) out.push('partial (a remote worker was lost: the figures cover the other workers only)');
  return out;
}
