import { outputText, reasoningItem, toolCallItem } from "./chat-to-response";
import {
  newId,
  responseObject,
  responsesUsage,
  statusFor,
  type ResponseBase,
  type ResponsesUsage,
} from "./response-object";
import { customInput, declaredTool, type ToolNames } from "./tool-names";

/**
 * Chat completion chunks in, the Responses API's typed stream events out (as SSE frames
 * `event: <type>` + `data: <json>`). Pure and synchronous: the caller feeds each chunk as it
 * arrives and writes out what comes back at once, so nothing is buffered but a custom
 * tool's input (its JSON wrapper cannot be streamed as the raw text the client expects).
 *
 *   start()   response.created, response.in_progress
 *   chunk()   reasoning → output_item.added, content_part.added, reasoning_text.delta
 *             content   → output_item.added, content_part.added, output_text.delta
 *             refusal   → … refusal.delta
 *             tool call → output_item.added, function_call_arguments.delta
 *             (an item is closed with its *.done events when the next kind begins)
 *   finish()  the open items' *.done events, then response.completed (or
 *             response.incomplete when the answer stopped at its token cap)
 *   fail()    error, response.failed
 */
type Json = Record<string, unknown>;

interface ChatChunk {
  choices?: {
    index?: number;
    finish_reason?: string | null;
    delta?: {
      content?: string | null;
      refusal?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?:
        { index?: number; id?: string; function?: { name?: string; arguments?: string } }[] | null;
    } | null;
  }[];
  usage?: unknown;
}

interface TextItem {
  kind: "reasoning" | "message";
  id: string;
  outputIndex: number;
  text: string;
  refusal: string;
  /** Content parts opened so far, in order: "text" and/or "refusal". */
  parts: ("text" | "refusal")[];
}

interface CallItem {
  id: string;
  outputIndex: number;
  callId: string;
  flatName: string;
  args: string;
  closed: boolean;
}

export class ResponsesStreamTranslator {
  private sequence = 0;
  private readonly output: (Json | null)[] = [];
  private current: TextItem | null = null;
  private readonly calls = new Map<number, CallItem>();
  private finishReason: string | null = null;
  private usage: ResponsesUsage | null = null;
  private ended = false;

  constructor(
    private readonly base: ResponseBase,
    private readonly toolNames: ToolNames,
  ) {}

  start(): string {
    const response = responseObject(this.base, { status: "in_progress", output: [], usage: null });
    return (
      this.event("response.created", { response }) +
      this.event("response.in_progress", { response })
    );
  }

  chunk(chunk: ChatChunk): string {
    if (this.ended) return "";
    let out = "";
    if (chunk.usage && typeof chunk.usage === "object") this.usage = responsesUsage(chunk.usage);
    // Responses has no `n`: the first choice is the answer.
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    if (!choice) return out;
    const delta = choice.delta ?? {};
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === "string" && reasoning)
      out += this.textDelta("reasoning", "text", reasoning);
    if (typeof delta.content === "string" && delta.content)
      out += this.textDelta("message", "text", delta.content);
    if (typeof delta.refusal === "string" && delta.refusal)
      out += this.textDelta("message", "refusal", delta.refusal);
    (delta.tool_calls ?? []).forEach((call, position) => {
      out += this.toolDelta(call.index ?? position, call);
    });
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  /** The answer ended (the upstream's [DONE], or its stream simply ended after a finish). */
  finish(): string {
    if (this.ended) return "";
    let out = this.closeAll();
    this.ended = true;
    const { status, incompleteReason } = statusFor(this.finishReason);
    const response = responseObject(this.base, {
      status,
      output: this.items(),
      usage: this.usage,
      incompleteReason,
    });
    out += this.event(status === "incomplete" ? "response.incomplete" : "response.completed", {
      response,
    });
    return out;
  }

  /** The stream broke (upstream failure, malformed stream): what was produced, then failure. */
  fail(error: { code?: string | null; message: string; param?: string | null }): string {
    if (this.ended) return "";
    let out = this.closeAll();
    this.ended = true;
    out += this.event("error", {
      code: error.code ?? "server_error",
      message: error.message,
      param: error.param ?? null,
    });
    const response = responseObject(this.base, {
      status: "failed",
      output: this.items(),
      usage: this.usage,
      error: { code: "server_error", message: error.message },
    });
    out += this.event("response.failed", { response });
    return out;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The items produced so far (complete ones once the stream has ended). */
  outputItems(): Json[] {
    return this.items();
  }

  // --- items -----------------------------------------------------------------------------

  private textDelta(kind: TextItem["kind"], part: "text" | "refusal", delta: string): string {
    let out = "";
    if (this.current && this.current.kind !== kind) out += this.closeCurrent();
    if (!this.current) {
      out += this.closeCalls();
      const id = newId(kind === "reasoning" ? "rs" : "msg");
      const item: TextItem = {
        kind,
        id,
        outputIndex: this.output.length,
        text: "",
        refusal: "",
        parts: [],
      };
      this.output.push(null);
      this.current = item;
      out += this.event("response.output_item.added", {
        output_index: item.outputIndex,
        item: this.textItem(item, "in_progress"),
      });
    }
    const item = this.current;
    if (!item.parts.includes(part)) {
      item.parts.push(part);
      const empty =
        part === "refusal"
          ? { type: "refusal", refusal: "" }
          : kind === "reasoning"
            ? { type: "reasoning_text", text: "" }
            : outputText("");
      out += this.event("response.content_part.added", {
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: item.parts.indexOf(part),
        part: empty,
      });
    }
    const where = {
      item_id: item.id,
      output_index: item.outputIndex,
      content_index: item.parts.indexOf(part),
    };
    if (part === "refusal") {
      item.refusal += delta;
      return out + this.event("response.refusal.delta", { ...where, delta });
    }
    item.text += delta;
    if (kind === "reasoning")
      return out + this.event("response.reasoning_text.delta", { ...where, delta });
    return out + this.event("response.output_text.delta", { ...where, delta, logprobs: [] });
  }

  private toolDelta(
    index: number,
    call: { id?: string; function?: { name?: string; arguments?: string } },
  ): string {
    let out = "";
    let item = this.calls.get(index);
    if (!item) {
      out += this.closeCurrent() + this.closeCalls();
      item = {
        id: newId("fc"),
        outputIndex: this.output.length,
        callId: call.id ?? newId("fc"),
        flatName: call.function?.name ?? "",
        args: "",
        closed: false,
      };
      this.output.push(null);
      this.calls.set(index, item);
      out += this.event("response.output_item.added", {
        output_index: item.outputIndex,
        item: toolCallItem(this.toolNames, item.callId, item.flatName, "", "in_progress", item.id),
      });
    } else if (call.function?.name && !item.flatName) {
      item.flatName = call.function.name;
    }
    const args = call.function?.arguments;
    if (args) {
      item.args += args;
      // A custom tool's input is inside our JSON wrapper: it is sent whole when the call ends.
      if (!declaredTool(this.toolNames, item.flatName).custom) {
        out += this.event("response.function_call_arguments.delta", {
          item_id: item.id,
          output_index: item.outputIndex,
          delta: args,
        });
      }
    }
    return out;
  }

  private closeAll(): string {
    return this.closeCurrent() + this.closeCalls();
  }

  private closeCurrent(): string {
    const item = this.current;
    if (!item) return "";
    this.current = null;
    let out = "";
    item.parts.forEach((part, contentIndex) => {
      const where = {
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: contentIndex,
      };
      if (part === "refusal") {
        out += this.event("response.refusal.done", { ...where, refusal: item.refusal });
        out += this.event("response.content_part.done", {
          ...where,
          part: { type: "refusal", refusal: item.refusal },
        });
      } else if (item.kind === "reasoning") {
        out += this.event("response.reasoning_text.done", { ...where, text: item.text });
        out += this.event("response.content_part.done", {
          ...where,
          part: { type: "reasoning_text", text: item.text },
        });
      } else {
        out += this.event("response.output_text.done", { ...where, text: item.text, logprobs: [] });
        out += this.event("response.content_part.done", { ...where, part: outputText(item.text) });
      }
    });
    const done = this.textItem(item, "completed");
    this.output[item.outputIndex] = done;
    return (
      out + this.event("response.output_item.done", { output_index: item.outputIndex, item: done })
    );
  }

  private closeCalls(): string {
    let out = "";
    for (const item of this.calls.values()) {
      if (item.closed) continue;
      item.closed = true;
      const tool = declaredTool(this.toolNames, item.flatName);
      const where = { item_id: item.id, output_index: item.outputIndex };
      if (tool.custom) {
        const input = customInput(item.args);
        out += this.event("response.custom_tool_call_input.delta", { ...where, delta: input });
        out += this.event("response.custom_tool_call_input.done", { ...where, input });
      } else {
        out += this.event("response.function_call_arguments.done", {
          ...where,
          name: tool.name,
          arguments: item.args,
        });
      }
      const done = toolCallItem(
        this.toolNames,
        item.callId,
        item.flatName,
        item.args,
        "completed",
        item.id,
      );
      this.output[item.outputIndex] = done;
      out += this.event("response.output_item.done", {
        output_index: item.outputIndex,
        item: done,
      });
    }
    return out;
  }

  private textItem(item: TextItem, status: "in_progress" | "completed"): Json {
    if (item.kind === "reasoning")
      return reasoningItem(item.id, status === "completed" ? item.text : "", status);
    const content: Json[] = [];
    if (status === "completed") {
      for (const part of item.parts)
        content.push(
          part === "refusal" ? { type: "refusal", refusal: item.refusal } : outputText(item.text),
        );
    }
    return { type: "message", id: item.id, status, role: "assistant", content };
  }

  private items(): Json[] {
    return this.output.filter((item): item is Json => item !== null);
  }

  private event(type: string, fields: Json): string {
    const data = JSON.stringify({ type, sequence_number: this.sequence++, ...fields });
    return `event: ${type}\ndata: ${data}\n\n`;
  }
}
