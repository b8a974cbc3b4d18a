'use strict'
// The errors toriihq throws. The Rust core decides which one; these classes only carry what it found.

class ToriiError extends Error {
  constructor(message, detail = {}) {
    super(message)
    this.name = new.target.name
    this.kind = detail.kind ?? 'error'
  }
}

class APIError extends ToriiError {}

class APIStatusError extends APIError {
  constructor(message, detail = {}) {
    super(message, detail)
    this.status = detail.status ?? 0
    this.body = detail.body ?? null
    this.headers = detail.headers ?? {}
  }
}

class BadRequestError extends APIStatusError {}
class AuthenticationError extends APIStatusError {}
class PermissionDeniedError extends APIStatusError {}
class NotFoundError extends APIStatusError {}
class ConflictError extends APIStatusError {}
class PayloadTooLargeError extends APIStatusError {}
class UnprocessableEntityError extends APIStatusError {}
class InternalServerError extends APIStatusError {}

class RateLimitError extends APIStatusError {
  constructor(message, detail = {}) {
    super(message, detail)
    this.retryAfter = detail.retryAfter ?? null
  }
}

class APIConnectionError extends APIError {}
class APITimeoutError extends APIConnectionError {}
class APIResponseValidationError extends APIError {}

/** The caller aborted the request through its AbortSignal. */
class APIUserAbortError extends APIError {}

/** An argument of the wrong type; nothing was sent. */
class ArgumentTypeError extends TypeError {
  constructor(message, detail = {}) {
    super(message)
    this.name = 'ArgumentTypeError'
    this.kind = 'invalid_argument'
    this.argument = detail.argument ?? null
  }
}

/** An argument whose value the spec does not allow; nothing was sent. */
class InvalidArgumentError extends RangeError {
  constructor(message, detail = {}) {
    super(message)
    this.name = 'InvalidArgumentError'
    this.kind = 'invalid_argument'
    this.argument = detail.argument ?? null
  }
}

const CLASSES = {
  bad_request: BadRequestError,
  authentication: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  unprocessable_entity: UnprocessableEntityError,
  rate_limited: RateLimitError,
  server: InternalServerError,
  unexpected_status: APIStatusError,
  timeout: APITimeoutError,
  connection: APIConnectionError,
  decode: APIResponseValidationError,
  aborted: APIUserAbortError,
}

const MARKER = 'toriihq-error:'

/** The error the core reported, as its class; anything else is passed through. */
function translate(error) {
  const text = error && typeof error.message === 'string' ? error.message : ''
  if (!text.startsWith(MARKER)) return error
  const detail = JSON.parse(text.slice(MARKER.length))
  if (detail.kind === 'invalid_argument') {
    const Class = detail.wrongType ? ArgumentTypeError : InvalidArgumentError
    return new Class(detail.message, detail)
  }
  const Class = CLASSES[detail.kind] ?? ToriiError
  return new Class(detail.message, detail)
}

module.exports = {
  ToriiError,
  APIError,
  APIStatusError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  PayloadTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIResponseValidationError,
  APIUserAbortError,
  ArgumentTypeError,
  InvalidArgumentError,
  translate,
}
