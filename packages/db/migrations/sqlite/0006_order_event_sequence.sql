ALTER TABLE `order_events` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `order_events` SET `seq` = rowid;--> statement-breakpoint
CREATE UNIQUE INDEX `order_events_seq_uq` ON `order_events` (`seq`);--> statement-breakpoint
-- Event ids for the live order stream: one past the highest, set right after each insert.
-- SQLite serializes writers, so this numbering is commit order.
CREATE TRIGGER `order_events_sequence` AFTER INSERT ON `order_events` FOR EACH ROW BEGIN
  UPDATE `order_events` SET `seq` = (SELECT coalesce(max(`seq`), 0) + 1 FROM `order_events`) WHERE rowid = NEW.rowid;
END;
