import {
  anthropicImageTokens,
  audioTokens,
  decodeHead,
  imageSize,
  openAiImageTokens,
  PDF_PAGE_TOKENS,
  pdfPages,
} from "./media-tokens";
import { tokensNow, type TokenFamily } from "../relay/token-estimate";

/**
 * The prompt a request will be billed for, in the model's tokens, counted from every
 * billable part it carries (PRODUCT.md, "The money is exact at every edge"): messages and
 * their content parts, tools and legacy `functions`, `response_format` / `text.format`
 * schemas, documents and files, images by the provider's formula, audio. Text is counted
 * with o200k (gpt-tokenizer); tools and schemas as their JSON, which takes more tokens
 * than the upstreams' own renderings of them.
 *
 * Anthropic's tokenizer is not published for current Claude models: its text is counted
 * as o200k × ANTHROPIC_PER_O200K, plus ANTHROPIC_NON_ASCII more for the share of the text
 * outside ASCII (the legacy Claude tokenizer, @anthropic-ai/tokenizer, counts 1.03–1.06×
 * o200k on English prose, code and JSON, ~1.5× on Chinese and Japanese; it is too slow for
 * the hot path: 3 s to load, 3 µs a byte). scripts/estimator-accuracy.ts measures both.
 * The reservation adds PROMPT_MARGIN on top (`reserve`); the plain `count` is what a
 * request is charged when the upstream reports no usage.
 *
 * A part whose size lives upstream (a stored response, a file id or URL) makes the size
 * `unknown`: the request then reserves what is left of the budget until it settles.
 */
export type { TokenFamily };

export const PROMPT_MARGIN = 0.05;
export const ANTHROPIC_PER_O200K = 1.12;
export const ANTHROPIC_NON_ASCII = 0.45;
/** Per message: role and separators (OpenAI's cookbook counts 3–4), and 3 to prime the answer. */
export const PER_MESSAGE_TOKENS = 4;
export const PRIMING_TOKENS = 3;

/** Keys of a content part that are ids, flags and enums, not text the model reads. */
const NOT_TEXT = new Set([
  "type",
  "role",
  "id",
  "call_id",
  "tool_call_id",
  "tool_use_id",
  "status",
  "cache_control",
  "signature",
  "detail",
  "index",
  "media_type",
  "citations",
]);
/** Keys whose value is a JSON object the model reads as JSON (tool inputs, schemas). */
const AS_JSON = new Set(["input", "parameters", "input_schema", "schema", "json_schema"]);

/** The share of a text's characters outside ASCII (sampled on long texts). */
function nonAscii(text: string): number {
  const step = text.length > 65_536 ? Math.floor(text.length / 65_536) : 1;
  let outside = 0;
  let seen = 0;
  for (let i = 0; i < text.length; i += step, seen++) if (text.charCodeAt(i) > 127) outside++;
  return seen === 0 ? 0 : outside / seen;
}

export class PromptTally {
  private text = 0;
  private fixed = 0;
  /** A part of the prompt lives upstream: its size cannot be known here. */
  unknown = false;

  constructor(readonly family: TokenFamily) {}

  /** What the upstream will most likely bill. */
  get count(): number {
    const text = this.family === "anthropic" ? this.text * ANTHROPIC_PER_O200K : this.text;
    return Math.ceil(text) + this.fixed;
  }

  /** For the reservation: the count, erring high by PROMPT_MARGIN. */
  get reserve(): number {
    return Math.ceil(this.count * (1 + PROMPT_MARGIN));
  }

  addText(text: string): this {
    if (text.length === 0) return this;
    const tokens = tokensNow(text);
    this.text +=
      this.family === "anthropic" ? tokens * (1 + ANTHROPIC_NON_ASCII * nonAscii(text)) : tokens;
    return this;
  }

  addJson(value: unknown): this {
    if (value !== undefined && value !== null) this.addText(JSON.stringify(value));
    return this;
  }

  addTokens(tokens: number): this {
    this.fixed += tokens;
    return this;
  }

  /** A list of messages (chat's, Messages', Responses' items): their content and overhead. */
  addMessages(messages: readonly unknown[]): this {
    this.fixed += PER_MESSAGE_TOKENS * messages.length + PRIMING_TOKENS;
    for (const message of messages) this.walk(message);
    return this;
  }

  /** Any content: strings count, content parts by their kind, other objects by their fields. */
  walk(value: unknown): void {
    if (typeof value === "string") {
      this.addText(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const part = value as Record<string, unknown>;
    if (this.media(part)) return;
    for (const name in part) {
      const field = part[name];
      if (NOT_TEXT.has(name) || field === null || field === undefined) continue;
      if (AS_JSON.has(name) && typeof field === "object") this.addJson(field);
      else this.walk(field);
    }
  }

  /** Images, files, documents and audio; true when the part was one of them. */
  private media(part: Record<string, unknown>): boolean {
    switch (part.type) {
      case "image_url": {
        const image = part.image_url as { url?: unknown; detail?: unknown } | string | undefined;
        const url = typeof image === "string" ? image : image?.url;
        this.image(
          typeof url === "string" ? url : null,
          typeof image === "object" ? image?.detail : null,
        );
        return true;
      }
      case "input_image":
        this.image(typeof part.image_url === "string" ? part.image_url : null, part.detail);
        return true;
      case "image": {
        const source = part.source as { type?: unknown; data?: unknown } | undefined;
        this.image(
          source?.type === "base64" && typeof source.data === "string" ? source.data : null,
          null,
        );
        return true;
      }
      case "document":
        this.document(part);
        return true;
      case "file":
        this.file((part.file ?? {}) as Record<string, unknown>);
        return true;
      case "input_file":
        this.file(part);
        return true;
      case "item_reference":
        // An item stored upstream (Responses): its size is not known here.
        this.unknown = true;
        return true;
      case "input_audio": {
        const data = (part.input_audio as { data?: unknown } | undefined)?.data;
        this.fixed += typeof data === "string" ? audioTokens(data.length) : 0;
        return true;
      }
      default:
        return false;
    }
  }

  /** `data` is a data URL or bare base64; null (a URL): the formula's largest. */
  private image(data: string | null, detail: unknown): void {
    const size = data && !/^https?:/i.test(data) ? imageSize(decodeHead(data).head) : null;
    this.fixed +=
      this.family === "anthropic" ? anthropicImageTokens(size) : openAiImageTokens(size, detail);
  }

  /** Chat's `file` part and Responses' `input_file`: inline data is read; an id or URL is unknown. */
  private file(file: Record<string, unknown>): void {
    if (typeof file.file_data === "string") this.inlineFile(file.file_data);
    else if (file.file_id !== undefined || file.file_url !== undefined) this.unknown = true;
  }

  /** Anthropic's document block: text, PDF, nested content, or (URL, file) unknown. */
  private document(part: Record<string, unknown>): void {
    if (typeof part.title === "string") this.addText(part.title);
    if (typeof part.context === "string") this.addText(part.context);
    const source = (part.source ?? {}) as Record<string, unknown>;
    if (source.type === "text" && typeof source.data === "string") this.addText(source.data);
    else if (source.type === "base64" && typeof source.data === "string")
      this.inlineFile(source.data);
    else if (source.type === "content") this.walk(source.content);
    else this.unknown = true;
  }

  private inlineFile(data: string): void {
    const { mime, head } = decodeHead(data, 16);
    const isPdf = mime === "application/pdf" || head.toString("latin1", 0, 5) === "%PDF-";
    if (imageSize(decodeHead(data).head) && !isPdf) {
      this.image(data, null);
      return;
    }
    const comma = data.startsWith("data:") ? data.indexOf(",") + 1 : 0;
    const bytes = Buffer.from(comma > 0 ? data.slice(comma) : data, "base64");
    if (isPdf) this.fixed += pdfPages(bytes) * PDF_PAGE_TOKENS;
    else this.addText(bytes.toString("utf8"));
  }
}
