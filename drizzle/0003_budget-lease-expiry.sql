CREATE TABLE "budget_leases" (
	"key_id" uuid NOT NULL,
	"holder" text NOT NULL,
	"amount" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "budget_leases_key_id_holder_pk" PRIMARY KEY("key_id","holder"),
	CONSTRAINT "budget_leases_amount_nonnegative" CHECK ("budget_leases"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "budget_leases" ADD CONSTRAINT "budget_leases_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budget_leases_holder_idx" ON "budget_leases" USING btree ("holder");