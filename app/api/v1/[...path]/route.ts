import { ApiError } from "@/lib/errors/api-error";
import { apiErrorResponse } from "@/lib/http/error-response";
import { newRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

/** Unknown paths under /api/v1 answer in the same envelope as everything else there. */
function notFound(request: Request): Response {
  const path = new URL(request.url).pathname;
  return apiErrorResponse(
    new ApiError(404, "not_found", `Unknown endpoint ${request.method} ${path}.`),
    newRequestId(),
  );
}

export {
  notFound as GET,
  notFound as POST,
  notFound as PATCH,
  notFound as PUT,
  notFound as DELETE,
};
