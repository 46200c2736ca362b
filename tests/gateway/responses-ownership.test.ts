import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { eq } from "drizzle-orm";
import { models } from "@/db/schema";
import {
  client,
  createKey,
  registerFakeModels,
  harnessForFile,
  userWithKey,
} from "../helpers/harness";

/**
 * Issue 27 item 13: a native Responses upstream stores every tenant's conversations under
 * the operator's one credential. A `previous_response_id` or `item_reference` works only
 * for the owner whose key created it; another tenant's key gets OpenAI's "not found".
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["native"]);
  await h.database.db
    .update(models)
    .set({ nativeResponses: true })
    .where(eq(models.name, "fake/native"));
  h.runtime.deps.models.evict("*");
  const alice = await userWithKey(h.database);
  const mallory = await userWithKey(h.database);
  return { alice, mallory };
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
  );

describe("native previous_response_id belongs to its owner", () => {
  it("another tenant's key cannot continue or reference a conversation; its owner's other key can", async () => {
    const own = client(t.h.baseURL, t.value.alice.key);
    const plain = await own.responses.create({ model: "fake/native", input: "secret plan" });
    const streamed = await own.responses.create({
      model: "fake/native",
      input: "more",
      stream: true,
    });
    let streamedId = "";
    let streamedItem = "";
    for await (const event of streamed) {
      if (event.type === "response.completed") {
        streamedId = event.response.id;
        streamedItem = event.response.output[0]?.id ?? "";
      }
    }
    expect(streamedId).toMatch(/^resp_/);

    const other = client(t.h.baseURL, t.value.mallory.key);
    for (const id of [plain.id, streamedId]) {
      const error = await refusal(
        other.responses.create({ model: "fake/native", input: "hi", previous_response_id: id }),
      );
      expect(error?.status).toBe(400);
      expect(error?.message).toContain("not found");
      expect((error as { param?: string } | null)?.param).toBe("previous_response_id");
    }
    const byReference = await refusal(
      other.responses.create({
        model: "fake/native",
        input: [{ type: "item_reference", id: streamedItem }],
      }),
    );
    expect(byReference?.status).toBe(400);
    expect(byReference?.message).toContain("not found");

    // The same owner's second key continues it, by id and by reference.
    const second = (await createKey(t.h.database, { userId: t.value.alice.userId })).key;
    const continued = await client(t.h.baseURL, second).responses.create({
      model: "fake/native",
      input: [{ type: "item_reference", id: streamedItem }],
      previous_response_id: plain.id,
    });
    expect(continued.output_text).toBe("native ok");
  });

  it("an id nobody created through the gateway, and a conversation, are refused", async () => {
    const other = client(t.h.baseURL, t.value.mallory.key);
    const unknown = await refusal(
      other.responses.create({
        model: "fake/native",
        input: "hi",
        previous_response_id: "resp_made_elsewhere",
      }),
    );
    expect(unknown?.status).toBe(400);
    const conversation = await refusal(
      other.responses.create({
        model: "fake/native",
        input: "hi",
        conversation: "conv_operator",
      } as never),
    );
    expect(conversation?.status).toBe(400);
    expect((conversation as { param?: string } | null)?.param).toBe("conversation");
  });
});
