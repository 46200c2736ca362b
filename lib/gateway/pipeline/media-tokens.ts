/**
 * What a picture, a PDF or a sound costs in prompt tokens, by each provider's published
 * formula, read from the bytes the request carries (only their headers are decoded). What
 * cannot be read (a URL, a file id, an unknown format) costs the formula's maximum: a
 * reservation must lean high.
 */

export interface Size {
  width: number;
  height: number;
}

/** OpenAI (GPT-4o family): 85 at detail low; else 170 per 512-px tile of the scaled image, plus 85. */
export function openAiImageTokens(size: Size | null, detail: unknown): number {
  if (detail === "low") return 85;
  // Unknown size: the largest tiling the formula can give (768 × 2048 → 2 × 4 tiles).
  if (!size) return 170 * 8 + 85;
  let { width, height } = size;
  const fit = Math.min(1, 2048 / Math.max(width, height));
  width *= fit;
  height *= fit;
  const shortest = Math.min(width, height);
  if (shortest > 768) {
    width *= 768 / shortest;
    height *= 768 / shortest;
  }
  return 170 * Math.ceil(width / 512) * Math.ceil(height / 512) + 85;
}

/** Anthropic: width × height / 750 after resizing to at most 1568 px a side and 1.15 MP. */
export function anthropicImageTokens(size: Size | null): number {
  if (!size) return 1_600;
  let { width, height } = size;
  const edge = Math.min(1, 1568 / Math.max(width, height));
  width *= edge;
  height *= edge;
  const pixels = width * height;
  const area = Math.min(1, 1_150_000 / pixels);
  return Math.ceil((pixels * area) / 750);
}

/**
 * A PDF: each page is billed as its text and as an image (Anthropic documents 1,500–3,000
 * text tokens a page; OpenAI likewise sends both). 3,000 + a page image a page.
 */
export const PDF_PAGE_TOKENS = 3_000 + 1_600;

export function pdfPages(bytes: Buffer): number {
  const text = bytes.toString("latin1");
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const counted = /\/Count\s+(\d+)/.exec(text);
  const fromCount = counted ? Number(counted[1]) : 0;
  // Object streams can hide page objects; a page of compressed PDF is rarely under 1 KB.
  return Math.max(pages, fromCount, Math.ceil(bytes.byteLength / 50_000), 1);
}

/** Audio: OpenAI bills ~10 tokens a second; 400 bytes is a tenth of a second at 32 kbit/s. */
export function audioTokens(base64Length: number): number {
  return Math.ceil((base64Length * 0.75) / 400);
}

/** A data URL's or a bare base64 string's media type and first bytes (enough for headers). */
export function decodeHead(data: string, bytes = 64 * 1024): { mime: string | null; head: Buffer } {
  let mime: string | null = null;
  let payload = data;
  const match = /^data:([^;,]*)(;base64)?,/.exec(data.slice(0, 200));
  if (match) {
    mime = match[1] || null;
    payload = data.slice(match[0].length);
  }
  const take = Math.ceil(bytes / 3) * 4;
  return { mime, head: Buffer.from(payload.slice(0, take), "base64") };
}

/** Width and height from a PNG, GIF, JPEG or WebP header; null for anything else. */
export function imageSize(b: Buffer): Size | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47)
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString("ascii", 0, 3) === "GIF")
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (
    b.length >= 30 &&
    b.toString("ascii", 0, 4) === "RIFF" &&
    b.toString("ascii", 8, 12) === "WEBP"
  )
    return webpSize(b);
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
  return null;
}

function webpSize(b: Buffer): Size | null {
  const kind = b.toString("ascii", 12, 16);
  if (kind === "VP8X") return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  if (kind === "VP8L") {
    const bits = b.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (kind === "VP8 ")
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  return null;
}

function jpegSize(b: Buffer): Size | null {
  let offset = 2;
  while (offset + 9 < b.length) {
    if (b[offset] !== 0xff) return null;
    const marker = b[offset + 1];
    const length = b.readUInt16BE(offset + 2);
    // SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC) carry the frame's size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: b.readUInt16BE(offset + 5), width: b.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return null;
}
