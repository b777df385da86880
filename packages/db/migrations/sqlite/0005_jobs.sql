CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'created' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_limit` integer NOT NULL,
	`retry_delay_seconds` integer NOT NULL,
	`retry_backoff` integer NOT NULL,
	`singleton_key` text,
	`start_after` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_singleton_key_unique` ON `jobs` (`singleton_key`);--> statement-breakpoint
CREATE INDEX `jobs_due_idx` ON `jobs` (`state`,`start_after`);--> statement-breakpoint
CREATE INDEX `jobs_listing_idx` ON `jobs` (`state`,`created_at`,`id`);