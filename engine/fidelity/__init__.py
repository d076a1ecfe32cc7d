"""Keeping the writer's text intact: proofread edits, rewrites that keep their facts, answers not chatter."""
