// The layer order of src/ (ARCHITECTURE.md says why), checked by test/unit/layers.test.ts in `npm test`.
// A folder may import its own layer and the layers below it, never one above; and no import circles.
// Type-only imports count (tsPreCompilationDeps): a type two layers share lives in the lower one.
const LAYERS = [
  'cli', // commands and process entry points: parse, hand the scenario catalog down, print
  'runner', // a run as its stages; suites, fault runs, remote runs
  'report', // the HTML report, from result files
  'scenarios|drivers', // the registry and one folder per scenario; the external recipes' drivers they run (Curator, kazoo)
  'workers', // load processes and the channel to them, local and remote
  'recipes', // one folder per recipe family, over the client layer
  'compare', // rules, thresholds, comparisons: pure, over summary rows
  'results', // the result files: formats, reading and writing them
  'workload', // workload and suite files: schema, loading, validation against declarations handed down
  'ensemble', // where the servers come from, their own view, fault controllers
  'zk', // the client layer over the npm binding
  'measure', // clock, histograms, figures: pure
  'process', // child processes and command hints: what every layer may use
];

const above = (i) => LAYERS.slice(0, i).map((l) => `^src/(${l})/`);

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'An import circle: the modules cannot be read or tested one at a time.', severity: 'error', from: {}, to: { circular: true } },
    ...LAYERS.slice(1).map((layer, k) => ({
      name: `no-upward-from-${layer.split('|')[0]}`,
      comment: `${layer}/ imports a layer above it; hand what it needs down as data, or move the shared type down.`,
      severity: 'error',
      from: { path: `^src/(${layer})/` },
      to: { path: above(k + 1) },
    })),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
