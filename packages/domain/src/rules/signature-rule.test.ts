import { describe, expect, it } from 'vitest';
import { missingSignature } from './signature-rule';

describe('missingSignature', () => {
  const signature = { kind: 'signature' as const, deletedAt: null };
  it('holds back completing a job that requires a signature and has none', () => {
    expect(missingSignature({ requiresSignature: true }, 'completed', [])).toBe(true);
    expect(missingSignature({ requiresSignature: true }, 'completed', [{ kind: 'photo', deletedAt: null }])).toBe(true);
  });
  it('does not count a removed signature', () => {
    expect(
      missingSignature({ requiresSignature: true }, 'completed', [{ ...signature, deletedAt: '2026-11-30T10:00:00Z' }]),
    ).toBe(true);
  });
  it('lets the job complete with a signature, and lets other moves through', () => {
    expect(missingSignature({ requiresSignature: true }, 'completed', [signature])).toBe(false);
    expect(missingSignature({ requiresSignature: true }, 'in_progress', [])).toBe(false);
    expect(missingSignature({ requiresSignature: false }, 'completed', [])).toBe(false);
  });
});
