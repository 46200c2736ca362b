import type {
  Candidate,
  Content,
  ContentEmbedding,
  FunctionCall,
  FunctionDeclaration,
  FunctionResponse,
  GenerateContentResponse,
  GenerateContentResponseUsageMetadata,
  GenerationConfig,
  Model,
  Part,
  SafetySetting,
  Tool,
  ToolConfig,
} from "@google/genai";

/**
 * Gemini's REST wire shapes, built from `@google/genai`'s own types (the contract, as
 * PRODUCT.md asks): the SDK's classes carry getters and an `sdkHttpResponse` that never
 * travel over HTTP, so the JSON on the wire is their data members only. The SDK types the
 * request as `{model, contents, config}`; on the wire `config` is split into the members
 * below (`generationConfig` and its siblings), which is what a Gemini client sends.
 */
type Wire<T> = Literal<{
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: T[K];
}>;

/**
 * The SDK types its enums (finishReason, function-calling mode, roles of modalities…) as
 * TypeScript enums; on the wire they are their string values, which is what we read and write.
 */
type Literal<T> = T extends string
  ? string extends T
    ? T
    : `${T}`
  : T extends readonly (infer U)[]
    ? Literal<U>[]
    : T extends object
      ? { [K in keyof T]: Literal<T[K]> }
      : T;

export type GeminiPart = Literal<Part>;
export type GeminiContent = Literal<Content>;
export type GeminiFunctionCall = Literal<FunctionCall>;
export type GeminiFunctionResponse = Wire<FunctionResponse>;
export type GeminiTool = Literal<Tool>;
export type GeminiFunctionDeclaration = Literal<FunctionDeclaration>;
export type GeminiToolConfig = Literal<ToolConfig>;
export type GeminiGenerationConfig = Literal<GenerationConfig>;
export type GeminiCandidate = Literal<Candidate>;
export type GeminiModel = Literal<Model>;
export type GeminiEmbedding = Literal<ContentEmbedding>;

/** `POST …:generateContent` and `:streamGenerateContent`. */
export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent | string;
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  safetySettings?: Literal<SafetySetting>[];
  cachedContent?: string;
  labels?: Record<string, string>;
  [k: string]: unknown;
}

export type GeminiUsage = Wire<GenerateContentResponseUsageMetadata>;

/** One answer, or one SSE chunk of a streamed answer (each chunk is a whole response). */
export type GeminiResponse = Wire<
  Omit<
    GenerateContentResponse,
    | "sdkHttpResponse"
    | "text"
    | "data"
    | "functionCalls"
    | "executableCode"
    | "codeExecutionResult"
    | "initialPromptTokenCount"
  >
>;

/** Google's error envelope (google.rpc.Status as JSON). */
export interface GeminiErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: Record<string, unknown>[];
  };
}
