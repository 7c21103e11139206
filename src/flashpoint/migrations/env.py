"""Alembic environment: flashpoint runs migrations programmatically on an open connection
(``config.attributes['connection']``); offline SQL generation is supported for review."""
from alembic import context

from flashpoint.store.schema import metadata

config = context.config
conn = config.attributes.get("connection")
if conn is None:  # `alembic upgrade --sql`: emit SQL for the URL in sqlalchemy.url
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    context.configure(connection=conn, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
