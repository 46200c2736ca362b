export { fromZodError, toApiError } from "@/lib/errors/to-api-error";
