import { playgroundChat } from "@/lib/api/playground-chat";

// Session-authenticated chat for the dashboard's Playground; see lib/playground/playground-chat.ts.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = playgroundChat;
