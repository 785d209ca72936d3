/**
 * Layering rules (`npm run lint`, run by .ci/run): data flows source → pipeline → broadcaster in
 * worker/, and the web (app/, components/) sits on lib/. Issue 11, point 2.
 *
 * - app/, components/ and lib/ never import worker/ (the web reaches the worker through
 *   lib/gateway, and the Next bundle must not pull in broker clients);
 * - components/ (browser code) never import the database layer (lib/db) or server-only config;
 * - worker/ never imports app/ or components/;
 * - lib/ never imports app/ or components/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'web-does-not-import-worker',
      comment: 'app/, components/ and lib/ must not import worker/: use lib/gateway (WorkerGateway) or lib/.',
      severity: 'error',
      from: { path: '^(app|components|lib)/' },
      to: { path: '^worker/' },
    },
    {
      name: 'components-do-not-import-the-database',
      comment: 'Browser components get data through the JSON API or server pages, never lib/db.',
      severity: 'error',
      from: { path: '^components/' },
      to: { path: '^lib/db/' },
    },
    {
      name: 'worker-does-not-import-app',
      comment: 'The worker runs without the web app: it must not import app/ or components/.',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^(app|components)/' },
    },
    {
      name: 'lib-does-not-import-app',
      comment: 'lib/ is below app/ and components/.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(app|components)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Imports must resolve (a moved module left a stale import).',
      severity: 'error',
      from: { path: '^(app|components|lib|worker)/' },
      to: { couldNotResolve: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.next|data|test)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
