// The house's floors, lowest first (`npm run lint` checks them with dependency-cruiser).
// A file may import from its own folder and from any floor below its own, never from a
// floor above; and no import circle may form anywhere, inside a folder included.
// README.md's Architecture section draws the same map.
const FLOORS = [
  // 0: what everything stands on — the module contract, shell quoting, errors, input.
  ['^src/(module|shell|shlex|errors|vars|local-user|glob|input-file|yaml-source|limits)\\.ts$'],
  // 1: the template language (Jinja2 as Ansible renders it).
  ['^src/template/'],
  // 2: plays read from YAML; 3: the inventory and host patterns.
  ['^src/playbook/'],
  ['^src/inventory/'],
  // 4: connections; 5: the modules (they see only floors 0–1).
  ['^src/transport/'],
  ['^tasks/'],
  // 6: running plays on hosts; 7: reports of a run.
  ['^src/engine/'],
  ['^src/report/'],
  // 8: one file per subcommand (and what they share); 9: the command line's wiring.
  ['^src/commands/', '^src/schema\\.ts$'],
  ['^src/cli\\.ts$'],
];

const upward = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `floor-${i}-looks-up`,
  comment: `floor ${i} (${floor.join(', ')}) imports from a floor above it`,
  severity: 'error',
  from: { path: floor },
  to: { path: FLOORS.slice(i + 1).flat() },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle: break it by moving what both sides share to a floor below them',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'modules-stand-alone',
      comment: 'a module (tasks/) sees the contract, shell quoting and templates only',
      severity: 'error',
      from: { path: '^tasks/' },
      to: { path: '^src/(playbook|inventory|transport|engine|report|commands)/' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(test|bench|dist|node_modules|\\.stryker-tmp)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
