-- Per-user preferences (issue 13 point 1: the chart's studies are remembered per user; docs/desk.md).
-- Hand-written, plain table, the same SQL on embedded PGlite and on a server. One row per account
-- and preference key (today only `chart`: `{ studies: ["rsi:14", …], volume, oi }`); an account's
-- rows go with it. Read and written by lib/db/queries/user-prefs.ts only.
CREATE TABLE "user_preferences" (
	"user_id" text NOT NULL REFERENCES "auth_users"("id") ON DELETE CASCADE,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("user_id", "key")
);
