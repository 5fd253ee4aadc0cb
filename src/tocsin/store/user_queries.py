"""Queries for web users, browser sessions, API tokens and failed logins, and the
``Store`` methods over them (mixed into ``Store``).

Secrets never reach this module: sessions and tokens are stored and found by the
SHA-256 of their value, passwords by their argon2 hash; ``tocsin.app.users`` does the hashing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from tocsin.models import ApiToken, User, WebSession
from tocsin.store.columns import object_of, utc
from tocsin.store.tables import api_tokens, login_failures, users, web_sessions


def _user(row: Any) -> User:
    return object_of(
        User,
        row,
        active=bool(row.active),
        created=utc(row.created),
        last_login=utc(row.last_login),
    )


def _token(row: Any) -> ApiToken:
    return object_of(
        ApiToken,
        row,
        created=utc(row.created),
        last_used=utc(row.last_used),
        revoked=bool(row.revoked),
    )


def _session(row: Any) -> WebSession:
    r = row._mapping
    created = utc(r["created"])
    expires = utc(r["expires"])
    assert created is not None and expires is not None  # NOT NULL columns
    return WebSession(
        id=r["id"], user_id=r["user_id"], csrf=r["csrf"], created=created, expires=expires
    )


class UserQueries:
    """Store methods for users, sessions, API tokens and failed logins."""

    engine: Engine

    # users ----------------------------------------------------------------
    def add_user(self, user: User, password_hash: str) -> User:
        """Insert ``user``; raises ``sqlalchemy.exc.IntegrityError`` when the name is taken."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(users).values(
                    id=user.id,
                    username=user.username,
                    password_hash=password_hash,
                    role=user.role,
                    active=user.active,
                    created=user.created or datetime.now(UTC),
                    last_login=None,
                )
            )
            row = conn.execute(select(users).where(users.c.id == user.id)).one()
            return _user(row)

    def get_user(self, user_id: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return _user(row) if row is not None else None

    def get_user_by_name(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        return _user(row) if row is not None else None

    def password_hash_of(self, username: str) -> tuple[User, str] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        return (_user(row), row._mapping["password_hash"]) if row is not None else None

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.username))]

    def count_users(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(users)).scalar_one())

    def update_user(
        self,
        user_id: str,
        *,
        role: str | None = None,
        active: bool | None = None,
        password_hash: str | None = None,
        last_login: datetime | None = None,
    ) -> bool:
        """Change the given fields; False when no user has ``user_id``. Deactivating a
        user or changing the password ends the user's sessions."""
        values: dict[str, Any] = {}
        if role is not None:
            values["role"] = role
        if active is not None:
            values["active"] = active
        if password_hash is not None:
            values["password_hash"] = password_hash
        if last_login is not None:
            values["last_login"] = last_login
        if not values:
            return self.get_user(user_id) is not None
        with self.engine.begin() as conn:
            done = conn.execute(update(users).where(users.c.id == user_id).values(values))
            if active is False or password_hash is not None:
                conn.execute(delete(web_sessions).where(web_sessions.c.user_id == user_id))
            return bool(done.rowcount)

    def remove_user(self, user_id: str) -> bool:
        """Delete the user with its sessions and tokens; False when there was none."""
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.user_id == user_id))
            conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user_id))
            done = conn.execute(delete(users).where(users.c.id == user_id))
            return bool(done.rowcount)

    # sessions -------------------------------------------------------------
    def save_session(self, session: WebSession) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(web_sessions).values(
                    id=session.id,
                    user_id=session.user_id,
                    csrf=session.csrf,
                    created=session.created,
                    expires=session.expires,
                )
            )

    def get_session(self, session_id: str, *, now: datetime) -> tuple[WebSession, User] | None:
        """The live session with this id and its active user; None when unknown, expired
        or its user is gone or deactivated."""
        query = (
            select(
                web_sessions,
                users.c.username,
                users.c.role,
                users.c.active,
                users.c.created.label("user_created"),
                users.c.last_login,
            )
            .join(users, users.c.id == web_sessions.c.user_id)
            .where(web_sessions.c.id == session_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        session = _session(row)
        user = User(
            id=row._mapping["user_id"],
            username=row._mapping["username"],
            role=row._mapping["role"],
            active=bool(row._mapping["active"]),
            created=utc(row._mapping["user_created"]),
            last_login=utc(row._mapping["last_login"]),
        )
        if session.expires <= now or not user.active:
            return None
        return session, user

    def delete_session(self, session_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.id == session_id))

    def delete_expired_sessions(self, *, now: datetime) -> int:
        with self.engine.begin() as conn:
            done = conn.execute(delete(web_sessions).where(web_sessions.c.expires <= now))
            return int(done.rowcount or 0)

    # API tokens -----------------------------------------------------------
    def add_api_token(self, token: ApiToken, token_hash: str) -> ApiToken:
        with self.engine.begin() as conn:
            conn.execute(
                insert(api_tokens).values(
                    id=token.id,
                    user_id=token.user_id,
                    name=token.name,
                    token_hash=token_hash,
                    created=token.created or datetime.now(UTC),
                    last_used=None,
                    revoked=False,
                )
            )
            row = conn.execute(select(api_tokens).where(api_tokens.c.id == token.id)).one()
            return _token(row)

    def list_api_tokens(self, *, user_id: str | None = None) -> list[ApiToken]:
        query = select(api_tokens).order_by(api_tokens.c.created)
        if user_id is not None:
            query = query.where(api_tokens.c.user_id == user_id)
        with self.engine.connect() as conn:
            return [_token(r) for r in conn.execute(query)]

    def user_for_token(self, token_hash: str, *, now: datetime) -> User | None:
        """The active user of a live (not revoked) token; records its use."""
        query = (
            select(users, api_tokens.c.id.label("token_id"))
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked.is_(False))
        )
        with self.engine.begin() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.id == row._mapping["token_id"])
                .values(last_used=now)
            )
        user = _user(row)
        return user if user.active else None

    def revoke_api_token(self, token_id: str) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(api_tokens).where(api_tokens.c.id == token_id).values(revoked=True)
            )
            return bool(done.rowcount)

    # failed logins --------------------------------------------------------
    def record_login_failure(self, keys: tuple[str, ...], *, at: datetime) -> None:
        with self.engine.begin() as conn:
            for key in keys:
                conn.execute(insert(login_failures).values(key=key[:300], at=at))

    def count_login_failures(self, key: str, *, since: datetime) -> int:
        query = (
            select(func.count())
            .select_from(login_failures)
            .where(login_failures.c.key == key[:300], login_failures.c.at > since)
        )
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def clear_login_failures(self, key: str, *, before: datetime | None = None) -> None:
        """Forget the failures of ``key`` (all, or those before ``before``)."""
        query = delete(login_failures).where(login_failures.c.key == key[:300])
        if before is not None:
            query = query.where(login_failures.c.at < before)
        with self.engine.begin() as conn:
            conn.execute(query)
