import type { Metadata, Viewport } from "next";
import { ZodJitless } from "@/components/zod-jitless";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "ModelBridge", template: "%s · ModelBridge" },
  description: "Self-hosted, OpenAI-compatible model gateway",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <ZodJitless />
        {children}
      </body>
    </html>
  );
}
