/**
 * One POST to a URL a customer chose (a webhook) or a browser handed us (a
 * push endpoint): http or https, a hard timeout, no redirects, and — unless
 * private targets are allowed — no connection to a loopback or private
 * address. The check runs in the socket's own DNS lookup, so the address
 * checked is the address connected to (a name that resolves to a public
 * address for a check and to 127.0.0.1 for the request cannot slip through).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isNonPublicAddress, webhookUrlProblem } from './webhook-target';

export interface OutboundPost {
  url: string;
  headers: Record<string, string | number>;
  body: Buffer;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Replaces the system resolver (tests). */
  lookup?: typeof dnsLookup;
}

/** Why a POST got no HTTP answer, in plain words. */
export class OutboundFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundFailure';
  }
}

const PRIVATE_TARGET = 'The address points at this server or a private network, which is not allowed.';

/** Sends the POST and resolves with the answer's status once its headers arrive (the body is discarded). */
export function postOutbound(post: OutboundPost): Promise<{ status: number }> {
  const problem = webhookUrlProblem(post.url, post.allowPrivate);
  if (problem) return Promise.reject(new OutboundFailure(problem.replace(/^webhook: t/, 'T')));
  const url = new URL(post.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signal = AbortSignal.timeout(post.timeoutMs);
  const lookup = post.allowPrivate ? post.lookup : publicOnlyLookup(post.lookup ?? dnsLookup);
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'Content-Length': post.body.length },
        signal,
        ...(lookup ? { lookup: lookup as typeof dnsLookup } : {}),
      },
      (response) => {
        // Only the status matters; reading the rest would let a slow body hold the worker.
        response.resume();
        response.on('error', () => {});
        resolve({ status: response.statusCode ?? 0 });
        request.destroy();
      },
    );
    request.on('error', (error) => reject(describeFailure(error, signal, post.timeoutMs)));
    request.end(post.body);
  });
}

function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): OutboundFailure {
  if (signal.aborted) return new OutboundFailure(`No answer within ${formatSeconds(timeoutMs)}.`, { cause: error });
  if (error instanceof OutboundFailure) return error;
  const code = (error as { code?: unknown }).code;
  const reason =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'The host name could not be found.'
      : code === 'ECONNREFUSED'
        ? 'The connection was refused.'
        : code === 'ECONNRESET'
          ? 'The connection was closed before an answer came.'
          : typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT'))
            ? 'The secure connection could not be set up (certificate problem).'
            : `Could not connect${typeof code === 'string' ? ` (${code})` : ''}.`;
  return new OutboundFailure(reason, { cause: error });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for sockets that fails when any address the name resolves to is not public. */
function publicOnlyLookup(lookup: typeof dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    const all: LookupAllOptions = { ...options, all: true };
    lookup(hostname, all, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0 || addresses.some((entry) => isNonPublicAddress(entry.address))) {
        return callback(new OutboundFailure(PRIVATE_TARGET), []);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      callback(null, first.address, first.family);
    });
  };
}
