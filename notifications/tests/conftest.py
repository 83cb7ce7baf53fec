"""Fixtures of the outbox tests: an SMTP sink, a private Redis, a real Celery worker.

``smtp_sink`` is a real SMTP server (aiosmtpd) on a free port of 127.0.0.1 that
records every message it accepts and can refuse or defer on demand.
``redis_server`` runs a redis-server of its own on a free port, which a test can
stop and start again (a broker outage). ``database_proxy`` relays TCP to
PostgreSQL and can be cut and restored: a database restart as its clients see it.
``celery_worker`` starts real ``celery worker`` processes on the test database
(directly, or through the proxy), the private Redis and the sink.
"""

import asyncio
import contextlib
import dataclasses
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from notifications.kinds import KINDS

KIND = "call_for_applications"
CONTEXT = KINDS[KIND].sample

DEFERRED = "451 4.3.0 Try again later"
NO_SUCH_USER = "550 5.1.1 No such user"


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (at this instant)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll ``condition`` until it returns something true; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what}.")
        time.sleep(interval)


# The SMTP sink -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Received:
    recipient: str
    message_id: str
    portal_id: str  # the X-Portal-Email header: the outbox row's id
    at: float = dataclasses.field(default_factory=time.time, compare=False)  # its arrival


class SmtpSink:
    """An aiosmtpd handler: records what it accepts, refuses what it is told to."""

    def __init__(self):
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.refused: dict[str, str] = {}
        self._deferrals = {"rcpt": 0, "data": 0}
        self._hold_at: int | None = None
        self.holding = threading.Event()
        self._release = threading.Event()
        self._pause = 0.0

    # What a test tells it.
    def refuse(self, address: str, reply: str = NO_SUCH_USER) -> None:
        """Answer ``reply`` (a 5xx) to RCPT TO for this address, always."""
        self.refused[address.lower()] = reply

    def defer_next(self, count: int, *, at: str = "rcpt", reply: str = DEFERRED) -> None:
        """Answer ``reply`` (a 4xx) to the next ``count`` messages, at RCPT or at DATA."""
        self._deferral_reply = reply
        self._deferrals[at] = count

    def hold_at(self, count: int) -> None:
        """Take the ``count``-th message in, then keep the client waiting for "250".

        The message counts as received (a real server could deliver it) while the
        client does not know yet: an email in doubt. ``holding`` is set then;
        ``release()`` lets the answer go.
        """
        self._hold_at = count

    def release(self) -> None:
        self._release.set()

    def slow_down(self, seconds: float) -> None:
        """Take ``seconds`` to answer each message: a slow server, a long batch."""
        self._pause = seconds

    # What it saw.
    @property
    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def recipients(self) -> list[str]:
        with self.lock:
            return [message.recipient for message in self.received]

    def portal_ids(self) -> Counter:
        with self.lock:
            return Counter(message.portal_id for message in self.received)

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    # aiosmtpd's hooks.
    def _take_deferral(self, stage: str) -> str | None:
        with self.lock:
            if self._deferrals[stage] > 0:
                self._deferrals[stage] -= 1
                return self._deferral_reply
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.refused.get(address.lower())
        if refusal:
            return refusal
        deferral = self._take_deferral("rcpt")
        if deferral:
            return deferral
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        deferral = self._take_deferral("data")
        if deferral:
            return deferral
        headers = BytesHeaderParser().parsebytes(envelope.content)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append(
                    Received(
                        recipient=recipient,
                        message_id=headers["Message-ID"],
                        portal_id=headers["X-Portal-Email"],
                    )
                )
            hold = len(self.received) == self._hold_at
        if hold:
            self.holding.set()
            while not self._release.is_set():
                await asyncio.sleep(0.01)
        if self._pause:
            await asyncio.sleep(self._pause)
        return "250 2.0.0 Accepted"


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    log = logging.getLogger("mail.log")  # aiosmtpd tells every SMTP command at INFO
    level = log.level
    log.setLevel(logging.WARNING)
    controller.start()
    try:
        yield sink
    finally:
        sink.release()
        controller.stop()
        log.setLevel(level)


@pytest.fixture
def smtp_backend(settings, smtp_sink):
    """The test process sends through the SMTP backend to the sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_sink


# A Redis server of the test's own --------------------------------------------------


class RedisServer:
    """``redis-server`` on a free port, without persistence; stop() and start() again."""

    def __init__(self, log_dir: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server).")
        self.binary = binary
        self.port = free_port()
        self.log_path = log_dir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        import redis

        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port", str(self.port),
                    "--bind", "127.0.0.1",
                    "--save", "",
                    "--appendonly", "no",
                    "--daemonize", "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

        def answers():
            try:
                with redis.Redis(port=self.port, socket_connect_timeout=0.2) as client:
                    return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def queue_length(self, queue: str = "celery") -> int:
        import redis

        with redis.Redis(port=self.port) as client:
            return client.llen(queue)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _reset_broker_connections() -> None:
    """Forget the Celery app's pooled broker connections (they name the old broker), and
    kombu's own pools kept by connection: a pool closed here and handed out again by kombu
    would make a later test's publishing (an eager task acquires a producer too) fail with
    "Acquire on closed pool"."""
    from kombu import pools

    from portal.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def celery_broker(redis_server):
    """The test process's Celery app publishes to the private Redis.

    Celery reads CELERY_BROKER_URL from the environment before its configuration,
    so the variable is what is changed (and restored).
    """
    from portal.celery import app

    previous = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = redis_server.url()
    _reset_broker_connections()
    assert app.conf.broker_url == redis_server.url()
    try:
        yield redis_server
    finally:
        if previous is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = previous
        _reset_broker_connections()


# A database that restarts ------------------------------------------------------------


class TcpProxy:
    """Relays TCP from a free port of 127.0.0.1 to PostgreSQL; ``cut()`` and ``restore()``.

    Cut, it closes every relayed connection and refuses new ones: what the clients
    of a restarting PostgreSQL see (their sessions end, connecting is refused).
    Restored, it listens again on the same port. The shared PostgreSQL server itself
    is never touched: other people's connections do not go through the proxy.
    """

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.cuts = 0
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._stop = threading.Event()

    def restore(self) -> None:
        self._stop.clear()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.05)
        self._spawn(self._accept, self._listener)

    def cut(self) -> None:
        self.cuts += 1
        self._stop.set()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def restart(self, *, down_for: float) -> None:
        """A database restart: connections cut, refused for ``down_for`` seconds, back."""
        self.cut()
        time.sleep(down_for)
        self.restore()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stop.is_set():
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._stop.is_set():
                    client.close()
                    upstream.close()
                    return
                self._sockets.update((client, upstream))
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # cut: the other pump or cut() closed the sockets
        # One side ended its session: end the other side's too.
        with self._lock:
            owned = source in self._sockets
            self._sockets.discard(source)
            self._sockets.discard(sink)
        if owned:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


@pytest.fixture
def database_proxy():
    """A cuttable relay to the test database's PostgreSQL (see ``TcpProxy``)."""
    db = settings.DATABASES["default"]
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    proxy.restore()
    try:
        yield proxy
    finally:
        proxy.cut()


# Real Celery workers ----------------------------------------------------------------


def _test_database_url(port: int | None = None) -> str:
    """The test database (``test_…``), as the worker's DATABASE_URL; ``port`` for a proxy."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    if port is not None:
        return f"postgres://{user}{password}@127.0.0.1:{port}/{db['NAME']}"
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A ``celery worker`` process group (the main process and its prefork child)."""

    def __init__(self, *, name: str, env: dict, log_path: Path):
        self.log_path = log_path
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "portal", "worker",
                    "--loglevel=INFO", "--concurrency=1", "--pool=prefork",
                    "--without-mingle", "--without-gossip",
                    "-n", f"{name}@%h",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so the child dies too
            )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        def ready():
            if self.process.poll() is not None:
                pytest.fail(f"The worker exited ({self.process.returncode}):\n{self.log()}")
            return " ready." in self.log()

        wait_until(ready, timeout=timeout, interval=0.1, what="the Celery worker to be ready")

    def kill(self) -> None:
        """SIGKILL the whole group at once: no warm shutdown, nothing acknowledged."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self.kill()


@pytest.fixture
def celery_worker(transactional_db, celery_broker, smtp_sink, tmp_path):
    """Start real workers on the test database, the private Redis and the SMTP sink.

    ``celery_worker()`` starts one and waits until it is ready; all are stopped at
    the end of the test, before the database is emptied. ``celery_worker(database=
    proxy)`` reaches the database through a ``TcpProxy``; other keywords are
    environment variables of the worker (``OUTBOX_LEASE_SECONDS="12"``).
    """
    workers: list[Worker] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": celery_broker.url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }

    def start(*, database: TcpProxy | None = None, **extra_env) -> Worker:
        name = f"test{len(workers)}"
        if database is not None:
            extra_env["DATABASE_URL"] = _test_database_url(database.port)
        worker = Worker(
            name=name, env={**env, **extra_env}, log_path=tmp_path / f"worker-{name}.log"
        )
        workers.append(worker)
        worker.wait_ready()
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
