import { expect, test } from 'vitest';
import { inviteUrl, linkEmail } from './invite-links';

test('the link is the app’s invite route under the base, whatever slashes the base ends with', () => {
  expect(inviteUrl('https://fieldsync.example.com', 'abc')).toBe('https://fieldsync.example.com/#/invite/abc');
  expect(inviteUrl('https://fieldsync.example.com/app//', 'abc')).toBe(
    'https://fieldsync.example.com/app/#/invite/abc',
  );
});

test('an invite e-mail names the company; typed names are escaped in the HTML', () => {
  const mail = linkEmail({
    isInvite: true,
    personName: '<script>alert(1)</script>',
    companyName: 'Floors & "Paving"',
    url: 'https://fieldsync.example.com/#/invite/abc',
    expiresAt: '2026-11-28T15:00:00.000Z',
  });
  expect(mail.subject).toBe('You\'re invited to Floors & "Paving" on Fieldsync');
  expect(mail.text).toContain('https://fieldsync.example.com/#/invite/abc');
  expect(mail.html).toContain('href="https://fieldsync.example.com/#/invite/abc"');
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('Floors &#38; &#34;Paving&#34;');
});

test('a reset e-mail says so', () => {
  const mail = linkEmail({
    isInvite: false,
    personName: 'Sam',
    companyName: 'Floors',
    url: 'https://x.example/#/invite/abc',
    expiresAt: '2026-11-28T15:00:00.000Z',
  });
  expect(mail.subject).toBe('Reset your Fieldsync password');
  expect(mail.text).toContain('new Fieldsync password');
});
