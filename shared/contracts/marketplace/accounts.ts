/** Marketplace contract: accounts (register, sign in and out, the signed-in account). */
import { LoginInput, RegisterInput, Session, UserView } from '../../marketplace.ts';
import { defineRoute } from './route.ts';
import { Ok } from './schemas.ts';

export const register = defineRoute({
  method: 'post',
  path: '/v1/auth/register',
  summary: 'Create an account (buyer + creator roles; the Creator tier is granted by an admin)',
  tag: 'accounts',
  body: RegisterInput,
  output: Session,
  status: 201,
});

export const login = defineRoute({
  method: 'post',
  path: '/v1/auth/login',
  summary: 'Sign in; returns an opaque bearer token',
  tag: 'accounts',
  body: LoginInput,
  output: Session,
});

export const logout = defineRoute({
  method: 'post',
  path: '/v1/auth/logout',
  summary: 'Revoke the current token',
  tag: 'accounts',
  output: Ok,
});

export const me = defineRoute({
  method: 'get',
  path: '/v1/me',
  summary: 'The signed-in account',
  tag: 'accounts',
  output: UserView,
});
