DROP INDEX "users_email_uq";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_index" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_index_uq" ON "users" USING btree ("email_index");