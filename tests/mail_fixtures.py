"""Shared helpers for the e-mail tests: a real aiosmtpd server on 127.0.0.1 (random free
port) and an in-memory keyring so no test touches the OS keyring."""

from __future__ import annotations

import email
import socket
from email.policy import default

import keyring
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend

USER, PASSWORD = "gongkai@xm.gov.cn", "授权码-123"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.delenv("GONGKAI_SMTP_PASSWORD", raising=False)
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping what the server accepted; refuses addresses in ``refuse``."""

    def __init__(self):
        self.envelopes = []
        self.refuse: set[str] = set()
        self.accept_data = 10**9  # how many more messages to accept before refusing DATA

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.accept_data <= 0:
            return "552 5.3.4 Message size exceeds fixed limit"
        self.accept_data -= 1
        self.envelopes.append(envelope)
        return "250 OK queued"

    def messages(self):
        return [email.message_from_bytes(e.original_content or e.content, policy=default)
                for e in self.envelopes]  # fmt: skip


def _check_login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


def start_server(auth: bool = False) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    kw = {"authenticator": _check_login, "auth_require_tls": False} if auth else {}
    c = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kw)
    c.start()
    return c, inbox


@pytest.fixture
def smtp_server():
    c, inbox = start_server()
    yield c, inbox
    c.stop()


@pytest.fixture
def auth_server():
    c, inbox = start_server(auth=True)
    yield c, inbox
    c.stop()
