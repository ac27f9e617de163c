import { expect, test } from 'vitest';
import { csvField, toCsv } from './csv';
import { timesheetCsv } from './timesheet-csv';

test('fields are quoted only when RFC 4180 needs it, quotes doubled', () => {
  expect(csvField('plain')).toBe('plain');
  expect(csvField(42)).toBe('42');
  expect(csvField(null)).toBe('');
  expect(csvField('Smith, J.')).toBe('"Smith, J."');
  expect(csvField('the "big" one')).toBe('"the ""big"" one"');
  expect(csvField('two\nlines')).toBe('"two\nlines"');
  expect(csvField(' padded')).toBe('" padded"');
  expect(toCsv(['a', 'b'], [['1', 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
});

test('the timesheet CSV has the contract’s header and one line per row', () => {
  const csv = timesheetCsv([
    {
      date: '2026-11-02',
      contractorId: 'c1',
      contractorName: 'Ana "Red" Ortiz',
      jobId: 'j1',
      jobNumber: 'JOB-20261102-CCCCCC',
      jobTitle: 'Kitchen, refit',
      workingMinutes: 450,
      waitingMinutes: 60,
      onHoldMinutes: 0,
    },
  ]);
  expect(csv).toBe(
    'date,contractor,job_number,job_title,working_minutes,waiting_minutes,on_hold_minutes\r\n' +
      '2026-11-02,"Ana ""Red"" Ortiz",JOB-20261102-CCCCCC,"Kitchen, refit",450,60,0\r\n',
  );
  expect(timesheetCsv([])).toBe(
    'date,contractor,job_number,job_title,working_minutes,waiting_minutes,on_hold_minutes\r\n',
  );
});
