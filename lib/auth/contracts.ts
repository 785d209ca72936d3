/**
 * Endpoint contracts of the auth and token routes (app/api/auth/*, app/api/tokens/*), handed to
 * route() (lib/http/route.ts) with their `auth` requirement.
 */
import { z } from 'zod';
import { endpoint } from '@/lib/http/endpoint';
import { ROLES } from './roles';

const role = z.enum(ROLES, { error: 'expected viewer or admin' });
const email = z.email({ error: 'expected an email address' }).max(254);
const password = z.string({ error: 'required' }).min(1, 'required').max(128, 'must be at most 128 characters');
const name = z
  .string({ error: 'required' })
  .trim()
  .min(1, 'required')
  .max(64, 'must be at most 64 characters')
  .regex(/^[^\u0000-\u001f]+$/, 'must not contain control characters');

export const signIn = endpoint({
  method: 'POST', path: '/api/auth/sign-in', summary: 'Sign in with email and password (sets the session cookie)', tags: ['auth'],
  auth: 'public', body: z.object({ email, password }), errors: ['invalid_request', 'unauthorized'],
});
export const signOut = endpoint({
  method: 'POST', path: '/api/auth/sign-out', summary: 'Sign out (clears the session cookie)', tags: ['auth'], auth: 'public',
});
export const session = endpoint({
  method: 'GET', path: '/api/auth/session', summary: 'Who is calling: local desk, signed in (with role) or signed out', tags: ['auth'], auth: 'public',
});
export const changePasswordEndpoint = endpoint({
  method: 'POST', path: '/api/auth/password', summary: 'Change your own password (signed-in accounts; other sessions are signed out)', tags: ['auth'],
  auth: 'viewer',
  body: z.object({ currentPassword: password, newPassword: z.string({ error: 'required' }).min(12, 'must be at least 12 characters').max(128, 'must be at most 128 characters') }),
  errors: ['invalid_request', 'unauthorized', 'forbidden', 'conflict'],
});
export const listUsersEndpoint = endpoint({ method: 'GET', path: '/api/auth/users', summary: 'List accounts', tags: ['auth'], auth: 'admin' });
export const createUserEndpoint = endpoint({
  method: 'POST', path: '/api/auth/users', summary: 'Create an account', tags: ['auth'], auth: 'admin', status: 201,
  body: z.object({ email, password: z.string({ error: 'required' }).min(12, 'must be at least 12 characters').max(128), name: name.optional(), role }),
  errors: ['invalid_request', 'conflict', 'unauthorized', 'forbidden'],
});
const userId = z.object({ id: z.string().min(1).max(64).regex(/^[\w-]+$/, 'expected an account id') });
export const updateUserEndpoint = endpoint({
  method: 'PATCH', path: '/api/auth/users/{id}', summary: "Change an account's role", tags: ['auth'], auth: 'admin',
  params: userId, body: z.object({ role }), errors: ['invalid_request', 'not_found', 'conflict', 'unauthorized', 'forbidden'],
});
export const deleteUserEndpoint = endpoint({
  method: 'DELETE', path: '/api/auth/users/{id}', summary: 'Delete an account', tags: ['auth'], auth: 'admin',
  params: userId, errors: ['not_found', 'conflict', 'unauthorized', 'forbidden'],
});
export const listTokensEndpoint = endpoint({ method: 'GET', path: '/api/tokens', summary: 'List API tokens', tags: ['auth'], auth: 'admin' });
export const createTokenEndpoint = endpoint({
  method: 'POST', path: '/api/tokens', summary: 'Create an API token (shown once)', tags: ['auth'], auth: 'admin', status: 201,
  body: z.object({ name, role: role.default('viewer') }), errors: ['invalid_request', 'unauthorized', 'forbidden'],
});
export const revokeTokenEndpoint = endpoint({
  method: 'DELETE', path: '/api/tokens/{id}', summary: 'Revoke an API token', tags: ['auth'], auth: 'admin',
  params: z.object({ id: z.uuid({ error: 'expected a token id' }) }), errors: ['not_found', 'unauthorized', 'forbidden'],
});
