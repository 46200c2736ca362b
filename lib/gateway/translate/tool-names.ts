/**
 * Chat completions knows only flat function names; the Responses API also groups tools in
 * namespaces (Codex sends its sub-agent tools that way) and has free-form `custom` tools.
 * Both are flattened into chat functions on the way up, and this table turns the model's
 * calls back into what the client declared on the way down.
 */
export interface DeclaredTool {
  /** The name the client knows, inside its namespace if any. */
  name: string;
  namespace: string | null;
  /** A free-form tool: its one string argument travels as `{"input": "..."}`. */
  custom: boolean;
}

export type ToolNames = Map<string, DeclaredTool>;

/** `namespace__name`: double underscore, which chat's name pattern allows and names rarely contain. */
export const NAMESPACE_SEPARATOR = "__";

export function flatName(namespace: string | null | undefined, name: string): string {
  return namespace ? `${namespace}${NAMESPACE_SEPARATOR}${name}` : name;
}

/** What the client declared for a flat name the model called; unknown names stay plain functions. */
export function declaredTool(names: ToolNames, flat: string): DeclaredTool {
  return names.get(flat) ?? { name: flat, namespace: null, custom: false };
}

/** The `input` of a custom tool from the arguments a chat model wrote for it. */
export function customInput(argumentsJson: string): string {
  try {
    const parsed = JSON.parse(argumentsJson) as { input?: unknown };
    if (parsed && typeof parsed.input === "string") return parsed.input;
  } catch {
    // The model wrote something that is not our wrapper: hand it over as it came.
  }
  return argumentsJson;
}
