-- A migration that could not remove a stack records it here: the new stack when the rollback's
-- destroy failed or the old route still sends to it (route_restore_failed), the old stack when its
-- destroy failed after the shift (old_stack_left). The deployment's destroy removes these too.
ALTER TABLE migrations ADD COLUMN left_stack text;
CREATE INDEX migrations_left_stack ON migrations (deployment_id) WHERE left_stack IS NOT NULL;
