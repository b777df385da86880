DROP INDEX `users_email_uq`;--> statement-breakpoint
ALTER TABLE `users` ADD `email_index` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_index_uq` ON `users` (`email_index`);