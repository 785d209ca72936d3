import { defineConfig } from 'drizzle-kit';

/** drizzle-kit: generates table migrations into drizzle/ from lib/db/schema.ts. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema.ts',
  out: './drizzle',
});
