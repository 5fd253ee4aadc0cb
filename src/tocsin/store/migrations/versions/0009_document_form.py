"""Each document's form: an article, or a short report (a one-line note, a post, a
two-sentence report). Both are stored and extracted alike; the form says which it is.

The documents already stored get theirs from their text, by the same rule as new ones
(``tocsin.text.forms.text_form``); the column's default, "article", only stands until
then.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tocsin.models import Form
from tocsin.text.forms import text_form

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    op.add_column(
        "documents",
        sa.Column("form", sa.String(10), nullable=False, server_default=Form.ARTICLE.value),
    )
    conn = op.get_bind()
    documents = sa.table(
        "documents", sa.column("id", sa.String), sa.column("text", sa.Text), sa.column("form")
    )
    reports: list[str] = []
    last = ""
    while True:  # in pages by id: a large store is never read whole into memory
        rows = conn.execute(
            sa.select(documents.c.id, documents.c.text)
            .where(documents.c.id > last)
            .order_by(documents.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        reports.extend(row.id for row in rows if text_form(row.text) is Form.REPORT)
    for start in range(0, len(reports), _BATCH):
        chunk = reports[start : start + _BATCH]
        conn.execute(
            documents.update().where(documents.c.id.in_(chunk)).values(form=Form.REPORT.value)
        )


def downgrade() -> None:
    op.drop_column("documents", "form")
