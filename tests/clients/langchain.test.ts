import { describe, expect, it } from "vitest";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { createKey, createUser, registerFakeModels, harnessForFile } from "../helpers/harness";

/** LangChain's OpenAI integration with only a base URL and a key: embeddings (RAG), chat, and chat over Responses. */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["json"]);
  const admin = await createUser(h.database, "admin");
  await createModel(
    h.database,
    createModelInput.parse({
      name: "fake/embed",
      kind: "embedding",
      base_url: h.upstream.url,
      upstream_model: "embed",
      input_price_per_million: "1.00",
      output_price_per_million: "0",
    }),
    admin.id,
  );
  const { key } = await createKey(h.database, { userId: (await createUser(h.database)).id });
  return { key };
});

describe("LangChain @langchain/openai", () => {
  it("OpenAIEmbeddings: embedQuery and embedDocuments", async () => {
    const embeddings = new OpenAIEmbeddings({
      model: "fake/embed",
      apiKey: t.value.key,
      configuration: { baseURL: t.h.baseURL },
      maxRetries: 0,
    });
    expect(await embeddings.embedQuery("hello")).toHaveLength(8);
    const documents = await embeddings.embedDocuments(["one", "two", "three"]);
    expect(documents).toHaveLength(3);
    for (const vector of documents) expect(vector).toHaveLength(8);
  });

  it("ChatOpenAI, on chat completions and on the Responses API", async () => {
    const chat = new ChatOpenAI({
      model: "fake/json",
      apiKey: t.value.key,
      configuration: { baseURL: t.h.baseURL },
      maxRetries: 0,
    });
    expect((await chat.invoke("hi")).content).toBe(" tok tok tok tok tok");
    const responses = new ChatOpenAI({
      model: "fake/json",
      apiKey: t.value.key,
      configuration: { baseURL: t.h.baseURL },
      maxRetries: 0,
      useResponsesApi: true,
    });
    const answer = await responses.invoke("hi");
    expect(answer.text).toBe(" tok tok tok tok tok");
  });
});
