import { playgroundChat } from "@/lib/playground/playground-chat";

// Session-authenticated chat for the dashboard's Playground; see lib/playground/playground-chat.ts.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = playgroundChat;
