import { statusOf, type ErrorCode } from "@/lib/errors/error-codes";

/**
 * OpenAI's error envelope, used by `/v1` and `/api/v1` alike so that every OpenAI SDK raises
 * its typed error: `{"error":{"message","type","param","code"}}`. (The Anthropic routes
 * write the same error in Anthropic's shape: lib/gateway/translate/anthropic-error.ts.)
 */
export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

const typeByStatus: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "insufficient_quota",
  403: "permission_error",
  404: "invalid_request_error",
  409: "invalid_request_error",
  413: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
  500: "api_error",
  502: "api_error",
  503: "api_error",
  504: "api_error",
};

/** An error as it goes out over HTTP: a status, a code from the closed vocabulary, a message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly param: string | null = null,
    readonly type: string = typeByStatus[status] ?? "api_error",
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The error with the status its code usually goes out with (error-codes.ts). */
  static of(code: ErrorCode, message: string, param: string | null = null): ApiError {
    return new ApiError(statusOf(code), code, message, param);
  }

  toBody(): ErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }

  /** The OpenAI envelope as the bytes every writer sends. */
  toJson(): string {
    return JSON.stringify(this.toBody());
  }
}

/** A body over its cap: the same answer from server.ts's cap, the management API and `/v1`. */
export const requestTooLarge = (limit: number) =>
  new ApiError(413, "request_too_large", `The request body is larger than ${limit} bytes.`);
