import { checkReadiness } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Readiness: the database answers and its migrations are applied. */
export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
}
