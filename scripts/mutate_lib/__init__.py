"""Mutation testing of the lockstep checker (scripts/mutate, docs/mutation.md)."""
