import type { GeminiRequest } from "../../translate/gemini/gemini-types";
import { audioTokens, decodeHead, imageSize, pdfPages } from "../../pipeline/media-tokens";
import {
  PER_MESSAGE_TOKENS,
  PRIMING_TOKENS,
  PromptTally,
  type TokenFamily,
} from "../../pipeline/prompt-tally";

/**
 * The text of a Gemini request's billable parts (count_tokens for models that are not
 * Gemini's): the system instruction, text and thoughts, function calls' arguments and
 * responses, the declared tools. The reservation counts with `geminiPrompt` below.
 */
export function geminiPromptText(
  request: Pick<GeminiRequest, "contents" | "systemInstruction" | "tools">,
): string {
  return collect(request).text;
}

function collect(request: Pick<GeminiRequest, "contents" | "systemInstruction" | "tools">): {
  text: string;
  media: number;
} {
  const pieces: string[] = [];
  let media = 0;
  const system = request.systemInstruction;
  const contents = [...(request.contents ?? [])];
  if (typeof system === "string") pieces.push(system);
  else if (system) contents.push(system);
  for (const content of contents)
    for (const part of content.parts ?? []) {
      if (typeof part.text === "string") pieces.push(part.text);
      if (part.functionCall)
        pieces.push(JSON.stringify(part.functionCall.args ?? {}), part.functionCall.name ?? "");
      if (part.functionResponse) pieces.push(JSON.stringify(part.functionResponse.response ?? {}));
      if (part.inlineData || part.fileData) media++;
    }
  if (request.tools?.length) pieces.push(JSON.stringify(request.tools));
  return { text: pieces.join("\n"), media };
}

/**
 * The same parts in a PromptTally (pipeline/prompt-tally.ts), as the reservation counts
 * every protocol: text with o200k plus the margin; inline images at Google's 258 tokens a
 * 768-px tile (258 for one up to 384 px), PDFs 258 a page, audio 32 a second (counted
 * from its bytes at 32 kbit/s); a `fileData` URI lives at Google: unknown size.
 */
export function geminiPrompt(
  request: Pick<GeminiRequest, "contents" | "systemInstruction" | "tools"> & {
    generationConfig?: unknown;
  },
  family: TokenFamily,
): PromptTally {
  const tally = new PromptTally(family);
  const system = request.systemInstruction;
  const contents = request.contents ?? [];
  tally.addTokens(PER_MESSAGE_TOKENS * (contents.length + (system ? 1 : 0)) + PRIMING_TOKENS);
  const parts = [...contents, ...(system && typeof system !== "string" ? [system] : [])].flatMap(
    (content) => content.parts ?? [],
  );
  if (typeof system === "string") tally.addText(system);
  for (const part of parts) {
    if (typeof part.text === "string") tally.addText(part.text);
    if (part.functionCall) tally.addJson(part.functionCall);
    if (part.functionResponse) tally.addJson(part.functionResponse);
    if (part.inlineData) tally.addTokens(inlineTokens(part.inlineData));
    if (part.fileData) tally.unknown = true;
  }
  tally.addJson(request.tools);
  const config = (request.generationConfig ?? {}) as Record<string, unknown>;
  tally.addJson(config.responseSchema);
  tally.addJson(config.responseJsonSchema);
  return tally;
}

function inlineTokens(inline: { mimeType?: string; data?: string }): number {
  const data = typeof inline.data === "string" ? inline.data : "";
  const mime = inline.mimeType ?? "";
  if (mime === "application/pdf") {
    return pdfPages(Buffer.from(data, "base64")) * 258;
  }
  if (mime.startsWith("audio/")) return Math.ceil(audioTokens(data.length) * 3.2);
  const size = imageSize(decodeHead(data).head);
  if (!size) return 258 * 16;
  if (size.width <= 384 && size.height <= 384) return 258;
  return 258 * Math.ceil(size.width / 768) * Math.ceil(size.height / 768);
}
