-- The issuing attempt writes the PDF in a transaction of its own, before the chained ISSUED
-- transition (which then only checks that it is there): the group commit's batches carry no
-- documents. The attempt that wrote it; a document whose issuance is still ORDERED is staged, and
-- replaced by the next attempt that owns the order.
ALTER TABLE issuance_document ADD COLUMN attempt_id CHAR(32);
