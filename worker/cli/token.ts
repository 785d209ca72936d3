/**
 * `npm run token -- <command>`: API tokens from the command line (issue 10; docs/security.md).
 *
 *   create --name NAME [--role viewer|admin]   prints a new token (shown once) on stdout
 *   list                                       id, name, role, prefix, created, last used, revoked
 *   revoke <id|name>                           revokes the matching active token(s)
 *
 * Opens the configured database like every CLI (worker/cli/cli-support.ts): DATABASE_URL, or
 * the embedded one under DATA_DIR. The embedded database has one owner: while the app runs it
 * cannot be opened here, and the CLI says so (exit 2) and points at the app's Settings page or
 * POST /api/tokens, which work while it runs. Exit codes: 0 done, 1 bad usage or no match, 2 in use.
 */
import { Command, InvalidArgumentError } from 'commander';
import { isRole, type Role } from '@/lib/auth/roles';
import { createApiToken, listApiTokens, revokeApiToken } from '@/lib/auth/tokens';
import { readEmbeddedOwner } from '@/lib/db/embedded-owner';
import { parseWorkerEnv } from '@/lib/config/worker-env';
import { cliFailure, EXIT_DATABASE_IN_USE, openCliDatabase, runCli } from './cli-support';

const parseRole = (value: string): Role => {
  if (!isRole(value)) throw new InvalidArgumentError('expected viewer or admin');
  return value;
};

const parseName = (value: string): string => {
  const name = value.trim();
  if (name.length === 0 || name.length > 64 || /[\u0000-\u001f]/.test(name)) throw new InvalidArgumentError('expected 1–64 printable characters');
  return name;
};

/** Open the database or explain why not (the running app owns it). */
async function open(action: string) {
  const opened = await openCliDatabase('token', `${action} from the command line`);
  if (!opened) {
    const owner = readEmbeddedOwner(parseWorkerEnv().dataDir);
    const at = owner?.url ?? 'the app';
    console.error(
      `While the app runs, manage tokens in it instead: open ${owner?.url ? `${owner.url}/settings` : 'Settings'} (admin), ` +
        `or POST ${at}/api/tokens with an admin token. Or stop the app and run this again.`,
    );
  }
  return opened;
}

async function main(): Promise<number> {
  let code = 0;
  const program = new Command('token').description('Manage marketdesk API tokens (docs/security.md)').exitOverride();

  program
    .command('create')
    .description('create a token and print it (shown once)')
    .requiredOption('--name <name>', 'what the token is for', parseName)
    .option('--role <role>', 'viewer or admin', parseRole, 'viewer' as Role)
    .action(async (options: { name: string; role: Role }) => {
      const opened = await open('Creating a token');
      if (!opened) return void (code = EXIT_DATABASE_IN_USE);
      try {
        const { token, info } = await createApiToken(opened.db, { name: options.name, role: options.role });
        console.error(`Created ${info.role} token "${info.name}" (id ${info.id}). Send it as: Authorization: Bearer <token>`);
        console.log(token);
      } finally {
        await opened.close();
      }
    });

  program
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .action(async () => {
      const opened = await open('Listing tokens');
      if (!opened) return void (code = EXIT_DATABASE_IN_USE);
      try {
        const tokens = await listApiTokens(opened.db);
        if (tokens.length === 0) console.log('no tokens');
        for (const t of tokens) {
          const state = t.revokedAt ? `revoked ${t.revokedAt}` : 'active';
          console.log([t.id, t.name, t.role, `${t.prefix}…`, `created ${t.createdAt}`, `last used ${t.lastUsedAt ?? 'never'}`, state].join('\t'));
        }
      } finally {
        await opened.close();
      }
    });

  program
    .command('revoke <idOrName>')
    .description('revoke the active token(s) with this id or name')
    .action(async (idOrName: string) => {
      const opened = await open('Revoking a token');
      if (!opened) return void (code = EXIT_DATABASE_IN_USE);
      try {
        const revoked = await revokeApiToken(opened.db, idOrName);
        if (revoked.length === 0) code = cliFailure('token', `no active token with id or name ${JSON.stringify(idOrName)}`);
        for (const t of revoked) console.log(`revoked ${t.id}\t${t.name}`);
      } finally {
        await opened.close();
      }
    });

  try {
    await program.parseAsync();
  } catch (error) {
    // commander already printed usage errors (exitOverride turns its exit into a throw)
    const exitCode = (error as { exitCode?: number }).exitCode;
    return exitCode === 0 ? 0 : 1;
  }
  return code;
}

runCli(main);
