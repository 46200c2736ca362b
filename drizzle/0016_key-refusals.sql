CREATE TABLE "key_refusals" (
	"key_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"code" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "key_refusals_key_id_minute_code_pk" PRIMARY KEY("key_id","minute","code"),
	CONSTRAINT "key_refusals_count_positive" CHECK ("key_refusals"."count" > 0)
);
--> statement-breakpoint
ALTER TABLE "key_refusals" ADD CONSTRAINT "key_refusals_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;