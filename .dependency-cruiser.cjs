// Architecture rules for src/ (`npm run deps:check`; see "Dependency rules" in docs/architecture.md).
// Every rule is an error. Violations that existed when a rule was introduced are listed in
// .dependency-cruiser-known-violations.json (`npm run deps:baseline`) and are not reported again;
// that list must only shrink. Cycles between modules are checked by scripts/module-cycles.ts on the
// graph this config builds, with their own known list (.dependency-cruiser-known-module-cycles.json).

/** The folder that holds one folder per adapter family (providers today, channels after the redesign). */
const ADAPTERS = 'channels';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-module-circular',
      severity: 'error',
      comment:
        'An import from one top-level module of src/ into another that closes a cycle of file imports: ' +
        'the two modules depend on each other. Break the cycle (move the shared piece down, or invert ' +
        'the dependency with a port or an event). Module cycles that no chain of file imports closes ' +
        'are found by scripts/module-cycles.ts (no-module-cycle).',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, pathNot: '^src/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files that import each other, directly or through other files (type-only imports count too).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-foreign-tables',
      severity: 'error',
      comment:
        "A module's tables.ts is its storage schema: only the module itself imports it (it registers its " +
        "tables in src/db/schema.ts's Database type itself). Other modules go through the owning module's functions.",
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/tables\\.ts$', pathNot: '^src/$1/tables\\.ts$' },
    },
    {
      name: 'no-adapter-internals',
      severity: 'error',
      comment:
        `Outside src/${ADAPTERS}/, code uses an adapter family through the files directly in ` +
        `src/${ADAPTERS}/ (the port), never through a family's own folder.`,
      from: { path: '^src/', pathNot: `^src/${ADAPTERS}/` },
      to: { path: `^src/${ADAPTERS}/[^/]+/` },
    },
    {
      name: 'template-text-is-low-level',
      severity: 'error',
      comment:
        'src/template-text/ (template shapes, placeholders, parameter binding, rendering) is pure and sits ' +
        'below both src/channels/ and src/templates/: it imports nothing of Parley\'s but src/shared/ and src/errors/.',
      from: { path: '^src/template-text/' },
      to: { path: '^src/', pathNot: '^src/(template-text|shared|errors)/' },
    },
    {
      name: 'net-is-low-level',
      severity: 'error',
      comment:
        'src/net/ (signing outgoing webhooks, refusing private targets) is shared by the modules that call ' +
        "business systems (events/, bot/): it imports nothing of Parley's but src/shared/ and src/errors/.",
      from: { path: '^src/net/' },
      to: { path: '^src/', pathNot: '^src/(net|shared|errors)/' },
    },
    {
      name: 'only-cli-imports-the-root',
      severity: 'error',
      comment:
        'src/main/ is the composition root: it imports every module to assemble them, so nothing but the ' +
        'CLI that starts it may import it (a module importing the root would depend on every module).',
      from: { path: '^src/', pathNot: '^src/(main|cli)/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'no-dev-deps',
      severity: 'error',
      comment:
        'src/ is what runs in production, where devDependencies are not installed. Type-only imports are ' +
        'erased at compile time and are allowed.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-packages',
      severity: 'error',
      comment: 'A package that is not declared in package.json (it resolves only by accident of the install).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file or package.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-test-code',
      severity: 'error',
      comment: 'Production code does not import tests, test harnesses or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    // Test files beside the code, build output and the console's built assets are not part of the rules.
    exclude: { path: ['^dist/', '^src/console/assets/', '^src/.+\\.test\\.ts$'] },
    // Reached only when src/ imports them (which no-test-code forbids); never analysed themselves.
    doNotFollow: { path: ['node_modules', '^test/', '^bench/'] },
    // Type-only imports are dependencies too (they couple modules); rules that do not care say so.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Name packages by their path under node_modules even where node_modules is a link, so the
    // recorded known violations are the same on every machine.
    preserveSymlinks: true,
    // Imports say './x.js' and mean './x.ts' (NodeNext resolution): dependency-cruiser maps a missing .js
    // file to its .ts source by itself. Packages resolve through their "exports" like Node does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      mermaid: { minify: false },
    },
  },
};
