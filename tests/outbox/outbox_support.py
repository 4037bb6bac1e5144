"""Shared by the outbox and notification tests: a real SMTP server, a front desk, a worker."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from builders import NOW, World, build_world
from rxflow.checklists import checklist_for
from rxflow.db.models import OutboxMessage
from rxflow.db.session import Database
from rxflow.outbox.transports import Transports, transports_from_config
from rxflow.outbox.worker import Worker
from rxflow.service import workflow as wf
from rxflow.service.actors import add_user
from rxflow.settings import Config

FILL = {"quantity": 60, "scanned_code": "00000-0000-75"}


@dataclass
class Inbox:
    """What the test SMTP server received; `answer` is its reply to DATA."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    answer: str = "250 OK"
    on_data: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("250"):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            with self.lock:
                self.messages.append(message)
                self.recipients.extend(envelope.rcpt_tos)
        if self.on_data is not None:
            self.on_data()
        return self.answer

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


@dataclass
class MailServer:
    inbox: Inbox
    port: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield MailServer(inbox, port)
    finally:
        controller.stop()


def config_for(server: MailServer, tmp_path: Path, *, fax: str = "smtp") -> Config:
    return Config(
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_from="pharmacy@maple.example",
        fax_transport=fax,
        hot_folder=tmp_path / "fax-out",
        fax_gateway_template="{digits}@fax-gateway.example",
        sms_gateway_template="{digits}@sms-gateway.example",
    )


def desk_world(db: Database, rules: dict[str, Any] | None = None) -> World:
    """build_world plus the fax-worker system user and a practice phone number."""
    world = build_world(db, rules)
    with db.write() as session:
        world.ids["worker"] = add_user(session, "fax-worker", "system").id
    return world


def worker(db: Database, transports: Transports | Config, name: str | None = None) -> Worker:
    if isinstance(transports, Config):
        transports = transports_from_config(transports)
    return Worker(db, transports, name=name)


def attest(path: str, controlled: bool = False) -> dict[str, bool]:
    return {i.id: True for i in checklist_for(path, controlled).items if i.kind == "attest"}


class Desk:
    """Steps on requests with a clock the test controls."""

    def __init__(self, world: World, now: datetime = NOW) -> None:
        self.world = world
        self.now = now

    def tick(self, minutes: float = 5) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now

    def receive(self, rx: str = "rx", **extra: Any) -> int:
        data = {"prescription_id": self.world[rx], **extra}
        view = wf.receive_request(self.world.db, data, actor_id=self.world["csr"], now=self.tick())
        return view.id

    def fire(self, rid: int, trigger: str, who: str = "csr", **payload: Any) -> str:
        view = wf.fire(
            self.world.db,
            rid,
            trigger,
            actor_id=self.world[who],
            payload=payload or None,
            now=self.tick(),
        )
        return view.state

    def filled(self, rx: str = "rx") -> int:
        rid = self.receive(rx)
        self.fire(rid, "authorize")
        self.fire(rid, "fill", lot_id=self.world["lot"], **FILL)
        return rid

    def verified(self, rx: str = "rx") -> int:
        rid = self.filled(rx)
        self.fire(rid, "verify", "csr2", attestations=attest("in_house_fill"), counted_quantity=60)
        return rid

    def dispensed(self, rx: str = "rx") -> int:
        rid = self.verified(rx)
        self.fire(rid, "dispense", attestations=attest("dispense"))
        return rid

    def faxing(self, rx: str = "rx") -> int:
        rid = self.receive(rx, fulfillment="outside", pharmacy_id=self.world["pharmacy"])
        self.fire(rid, "authorize")
        self.fire(rid, "prepare")
        self.fire(rid, "verify", "csr2", attestations=attest("outside_prescription"))
        assert self.fire(rid, "send_fax") == "faxing"
        return rid


def outbox_rows(db: Database, **where: Any) -> list[OutboxMessage]:
    with db.read() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list(session.scalars(query))
