CREATE TABLE "conversation_items" (
	"key_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"item" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversation_items_key_id_item_id_pk" PRIMARY KEY("key_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "limiter_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_items" ADD CONSTRAINT "conversation_items_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_items_expires_idx" ON "conversation_items" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "limiter_counters_expires_idx" ON "limiter_counters" USING btree ("expires_at");