// The ES module entry: the same classes as the CommonJS one.
import toriihq from './index.js'

export const {
  Client,
  MAX_UPLOAD_BYTES,
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
} = toriihq
export default toriihq
