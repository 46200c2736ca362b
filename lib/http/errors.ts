/**
 * OpenAI's error envelope, used by `/v1` and `/api/v1` alike so that every OpenAI SDK raises
 * its typed error: `{"error":{"message","type","param","code"}}`.
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

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly type: string = typeByStatus[status] ?? "api_error",
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function errorBody(status: number, code: string, message: string, param: string | null = null, type?: string): ErrorBody {
  return new ApiError(status, code, message, param, type).toBody();
}
