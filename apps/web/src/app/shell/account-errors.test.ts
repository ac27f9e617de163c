import { expect, test } from 'vitest';
import { fieldErrorsFromMessage, refusedFields } from './account-errors';

test("the server's invalid_body message is read back per field", () => {
  expect(
    refusedFields('timeZone: must be an IANA time zone such as America/Denver; email: Invalid email address'),
  ).toEqual([
    { field: 'timeZone', text: 'must be an IANA time zone such as America/Denver' },
    { field: 'email', text: 'Invalid email address' },
  ]);
  expect(refusedFields('Something else went wrong')).toEqual([]);
});

test("a refused field gets the form's words, or the server's when the form has none", () => {
  const words = { timeZone: 'Pick a time zone from the list.', companyName: '' };
  expect(fieldErrorsFromMessage('timeZone: bad; companyName: Too big; password: Too small', words)).toEqual({
    timeZone: 'Pick a time zone from the list.',
    companyName: 'Not accepted: Too big',
  });
});
