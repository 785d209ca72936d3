/**
 * Next.js configuration (ESM: package.json has "type": "module").
 *
 * The database drivers stay outside the server bundle and are loaded from node_modules at
 * run time: PGlite ships WASM and data files next to its JS (bundling breaks their lookup),
 * postgres.js uses Node sockets, and drizzle-orm must be the same module instance the host
 * process (worker/host.ts) used to build the shared embedded database handle.
 * @marketdesk/process-registry (lib/runtime/process-registry) holds the process registry that
 * worker/host.ts or `npm run web` fills before Next.js starts (lib/runtime/registry.ts): route
 * handlers must load that one module instance, never a bundled copy.
 */

/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets several builds coexist (e.g. parallel test runs); default .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'drizzle-orm', '@marketdesk/process-registry'],
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
