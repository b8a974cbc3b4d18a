/// <reference types="node" />
import { Client, ClientOptions } from './index'

/** What a mock holds when not told otherwise: enough of each collection to page through. */
export declare const DEFAULT_SEED: string

/** How `startMock` sets up a mock; every key is optional. */
export interface MockSettings {
  /** The key clients must send; default `toriihq-mock-key`. */
  apiKey?: string
  /** Items per collection: `'apps=500,users=100000'`, a number for all, or `'none'`. */
  seed?: string
  /** `'N/min'` per operation; beyond it the mock answers 429 with Retry-After. */
  rateLimit?: string
  /** How long a custom-integration sync runs (another started meanwhile answers 409); default 2. */
  syncSeconds?: number
  /** How long a presigned upload URL is valid; default 300. */
  presignedTtl?: number
  /** The percent of requests given a random fault (503, 429, reset, delay, truncated body). */
  chaos?: number
  /** How much faster the rate limits' clock runs: 60 makes a minute last a second. */
  timeScale?: number
}

/** A fault for the next matching requests. */
export interface MockFault {
  /** The spec's path template (`'/users/{idUser}'`) or the path sent. */
  path: string
  method?: string
  /** How many requests it answers; default 1. */
  times?: number
  /** How many matching requests pass untouched first (a later page of a list); default 0. */
  after?: number
  kind: 'status' | 'delay' | 'reset' | 'truncated' | 'invalid_json' | 'wrong_types' | 'extra_key'
  /** `status`: the status to answer with. */
  status?: number
  /** `status`: seconds sent as `Retry-After`. */
  retry_after?: number
  /** `delay`: how long to wait before the normal answer. */
  delay_ms?: number
  /** `extra_key`: a key the spec does not declare, added to the normal answer (as a newer API sends). */
  key?: string
}

/** A request the mock received; the key is masked in its headers. */
export interface MockRequest {
  method: string
  path: string
  query: [string, string][]
  headers: [string, string][]
  body: unknown
}

export declare class MockServer {
  readonly apiKey: string
  /** The base URL to give a client. */
  readonly url: string
  /** The storage origin, where presigned uploads go and downloads are redirected. */
  readonly storageUrl: string
  /** A client of this mock (retries off unless `options.maxRetries` says otherwise). */
  client(options?: ClientOptions): Client
  fault(fault: MockFault): Promise<void>
  clearFaults(): Promise<void>
  /** What the mock received (the last 10,000), oldest first; only those to `path` when given. */
  requests(path?: string): Promise<MockRequest[]>
  clearRequests(): Promise<void>
  /** Writes answered with success, counted by method and path (`{ 'PUT /users/17': 1 }`). */
  writes(): Promise<Record<string, number>>
  /** State back to the seed; faults and the request log cleared. */
  reset(): Promise<void>
  /** The stored items of a collection (`'/contracts'`). */
  collection(path: string): Promise<Record<string, unknown>[]>
  /** A stored file: `name`, `size`, `sha256`, whether its bytes were kept. */
  file(id: number): Promise<Record<string, unknown>>
  stop(): void
}

/** Starts a mock on 127.0.0.1 and a port the OS picks. */
export declare function startMock(settings?: MockSettings): Promise<MockServer>
