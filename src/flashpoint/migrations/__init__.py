"""Alembic migrations of the flashpoint store (applied automatically by ``flashpoint.store.open_store``)."""
