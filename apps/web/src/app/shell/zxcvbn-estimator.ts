/**
 * The password-strength estimator and its dictionaries (about 1.6 MB), in a
 * chunk of their own: loaded on the sign-up and password screens only, and
 * left out of the service worker's precache (see `vite.config.ts`), so an
 * install on a weak signal does not pay for them.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonWords } from '@zxcvbn-ts/language-common';
import { dictionary as englishWords, translations } from '@zxcvbn-ts/language-en';

export function createEstimator() {
  return new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonWords, ...englishWords },
  });
}
