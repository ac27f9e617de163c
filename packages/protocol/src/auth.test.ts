import { expect, test } from 'vitest';
import { loginRequestSchema, refreshRequestSchema } from './auth';

const password = 'correct horse battery staple';

test('login: an ordinary email and password pass, the email trimmed', () => {
  expect(loginRequestSchema.parse({ email: ' ada@example.com ', password })).toEqual({
    email: 'ada@example.com',
    password,
  });
});

test('login: NUL, a lone surrogate or an over-long value in email or password is refused', () => {
  for (const bad of ['ada\u0000@example.com', 'ada\ud83d@example.com', `${'a'.repeat(320)}@example.com`]) {
    expect(loginRequestSchema.safeParse({ email: bad, password }).success, JSON.stringify(bad)).toBe(false);
  }
  for (const bad of ['pass\u0000word', 'pass\udc00word', 'p'.repeat(1025)]) {
    expect(loginRequestSchema.safeParse({ email: 'ada@example.com', password: bad }).success).toBe(false);
  }
  // A whole emoji in a password is fine.
  expect(loginRequestSchema.safeParse({ email: 'ada@example.com', password: 'pass🔑word' }).success).toBe(true);
});

test('refresh and logout: a token with NUL, a lone surrogate or over 512 characters is refused', () => {
  const token = `0193a1b2-0000-7000-8000-000000000001.${'A'.repeat(43)}`;
  expect(refreshRequestSchema.safeParse({ refreshToken: token }).success).toBe(true);
  for (const bad of [`${token}\u0000`, `${token}\ud800`, 'x'.repeat(513), '']) {
    expect(refreshRequestSchema.safeParse({ refreshToken: bad }).success).toBe(false);
  }
});
