"""The SMS channel (Twilio): `POST /webhooks/sms/webhook` and `POST /webhooks/sms/status`.

Every request is authenticated first, with Twilio's signature over the public URL Twilio
was given (not `request.url`, which is wrong behind a TLS proxy) and every POST
parameter, blank ones included. An inbound message is then recorded under its
`MessageSid`, acknowledged at once with empty TwiML, and processed in the background,
so a slow Rasa turn never makes Twilio time out (15 s) and a retried webhook is a no-op.
Replies go out through the REST API via `TwilioSender`, never in the TwiML answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.gates import Inbound
from bot.channels.senders import (
    TWILIO_STATUSES,
    TWILIO_UNSUBSCRIBED,
    Sender,
    SenderOutputChannel,
    TwilioSender,
)
from bot.channels.worker import InboundWorker
from bot.settings import Settings

logger = logging.getLogger(__name__)

CHANNEL = "sms"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
MAX_BODY_BYTES = 64 * 1024  # Twilio's webhooks are a few kB; anything bigger is not Twilio
MAX_FIELDS = 200
MAX_ID_LENGTH = 64
SHUTDOWN_GRACE_SECONDS = 5.0
ACK_THREADS = 4  # recording threads of their own: acks never queue behind processing


class SmsRequestError(ValueError):
    """A signed request that is not an inbound message; the message says what is missing."""


@dataclass(frozen=True)
class SmsMessage:
    """The fields of Twilio's inbound webhook FamilyBot uses (the number stays in here)."""

    sid: str
    sender: str
    body: str
    num_media: int


Params = dict[str, list[str]]


class _Params(dict[str, list[str]]):
    """Form values as RequestValidator reads a multi-dict (every value of a repeated name)."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def read_form(request: Request) -> Params | None:
    """Every form parameter with blank values kept (Twilio signs them); None if unreadable."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        return None
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    try:
        text = (request.body or b"").decode("utf-8")
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:  # bad UTF-8 or too many fields
        return None


def _first(params: Params, *names: str) -> str:
    """The first non-blank value of the first name that has one, or ''."""
    for name in names:
        for value in params.get(name, []):
            if value.strip():
                return value
    return ""


def parse_inbound(params: Params) -> SmsMessage:
    """Read MessageSid, From, Body and NumMedia, refusing a request without sid or sender."""
    sid = _first(params, "MessageSid", "SmsMessageSid").strip()
    sender = _first(params, "From").strip()
    if not sid or len(sid) > MAX_ID_LENGTH or not sid.isprintable():
        raise SmsRequestError("MessageSid is missing or malformed")
    if not sender or len(sender) > MAX_ID_LENGTH or not sender.isprintable():
        raise SmsRequestError("From is missing or malformed")
    try:
        num_media = max(0, int(_first(params, "NumMedia") or 0))
    except ValueError:
        num_media = 0
    # NUL is the one character no database text column takes; Twilio never sends it.
    return SmsMessage(sid, sender, _first(params, "Body").replace("\x00", ""), num_media)


class TwilioSmsInput(InputChannel):
    """Rasa input channel for Twilio SMS: authenticated, recorded, acknowledged, then processed."""

    def __init__(self, settings: Settings | None = None, sender: Sender | None = None) -> None:
        if settings is None:
            from bot.settings import get_settings

            settings = get_settings()
        settings.check_twilio()  # fail closed at start-up, before any route exists
        self._settings = settings
        self._validator = RequestValidator(settings.twilio_auth_token)
        self.sender: Sender = sender or TwilioSender(settings)
        self.worker: InboundWorker | None = None
        self._app: Any = None
        self._ack_pool: ThreadPoolExecutor | None = None

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Secrets come from bot.settings, never from credentials.yml."""
        return cls()

    def get_output_channel(self) -> OutputChannel:
        """Lets Rasa's HTTP API (trigger_intent, outreach) send through the same sender."""
        return SenderOutputChannel(self.sender)

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the configured public base URL plus the path it called."""
        url = self._settings.public_url.rstrip("/") + request.path
        return f"{url}?{request.query_string}" if request.query_string else url

    def authenticate(self, request: Request) -> Params | None:
        """The request's parameters when Twilio's signature matches them, else None."""
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:
            return None
        params = read_form(request)
        if params is None:
            return None
        if not self._validator.validate(self.signed_url(request), _Params(params), signature):
            return None
        return params

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        from bot.channels.pipeline import InboundPipeline

        webhook = Blueprint("familybot_sms_webhook", __name__)
        output = SenderOutputChannel(self.sender)

        async def process(inbound: Inbound, message_id: int) -> None:
            pipeline = InboundPipeline(on_new_message, self._app.ctx.agent)
            await pipeline.process(inbound, message_id, output)

        worker = self.worker = InboundWorker(process)

        @webhook.listener("after_server_start")
        async def resume(app: Any, loop: Any) -> None:
            # After Rasa's before_server_start listener has loaded the agent.
            self._app = app
            await worker.recover(CHANNEL)

        @webhook.listener("before_server_stop")
        async def drain(app: Any, loop: Any) -> None:
            try:
                await worker.join(timeout=SHUTDOWN_GRACE_SECONDS)
            except asyncio.TimeoutError:
                logger.info("stopping with sms messages unprocessed; they resume on restart")
            if self._ack_pool is not None:
                self._ack_pool.shutdown(wait=False)
                self._ack_pool = None
            close = getattr(self.sender, "aclose", None)
            if close is not None:
                await close()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            params = self.authenticate(request)
            if params is None:
                logger.warning("sms webhook: refused a request without a valid Twilio signature")
                return response.text("forbidden", status=403)
            try:
                message = parse_inbound(params)
            except SmsRequestError as exc:
                logger.warning("sms webhook: refused a signed request: %s", exc)
                return response.text(str(exc), status=400)
            self._app = request.app
            if self._ack_pool is None:
                self._ack_pool = ThreadPoolExecutor(ACK_THREADS, thread_name_prefix="sms-ack")
            try:
                inbound, message_id = await asyncio.get_running_loop().run_in_executor(
                    self._ack_pool, _record, message, self._settings.secret_key
                )
            except Exception as exc:  # nothing acknowledged: Twilio may call its fallback URL
                # The type only: a database error's text can quote the message's parameters.
                logger.error("sms webhook: could not record a message: %s", type(exc).__name__)
                return response.text("not recorded", status=500)
            if message_id is None:
                logger.info("sms webhook: duplicate delivery of %s acknowledged", message.sid)
            else:
                worker.submit(inbound, message_id)
            return response.text(EMPTY_TWIML, content_type="text/xml")

        @webhook.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            params = self.authenticate(request)
            if params is None:
                logger.warning("sms status: refused a request without a valid Twilio signature")
                return response.text("forbidden", status=403)
            sid = _first(params, "MessageSid", "SmsSid").strip()
            reported = _first(params, "MessageStatus", "SmsStatus").strip().lower()
            if not sid or not reported or len(sid) > MAX_ID_LENGTH:
                return response.text("MessageSid and MessageStatus are required", status=400)
            mapped = TWILIO_STATUSES.get(reported)
            if mapped is not None:
                error_code = _first(params, "ErrorCode").strip()[:32] or None
                await asyncio.to_thread(_apply_status, sid, mapped, error_code)
            return response.empty(status=204)

        return webhook


def _record(message: SmsMessage, key: str) -> tuple[Inbound, int | None]:
    """Find or create the number's conversation and record the message, in one transaction."""
    from bot import store
    from bot.channels import gates

    with store.session_scope() as session:
        conversation = store.conversation_for_contact(
            session=session, channel=CHANNEL, address=message.sender, key=key
        )
        # MMS with no text arrives as an empty body: the gates answer it kindly.
        inbound = Inbound(str(conversation.id), CHANNEL, message.body, message.sid)
        return inbound, gates.record(inbound, session=session)


def _apply_status(provider_id: str, status: str, error_code: str | None) -> None:
    """Apply a delivery report; the store never moves a status backwards."""
    from bot import store

    with store.session_scope() as session:
        message = store.set_delivery_status(
            session=session,
            channel=CHANNEL,
            provider_id=provider_id,
            status=status,
            error_code=error_code,
        )
        if message is None:
            logger.info("sms status for an unknown message %s ignored", provider_id)
        elif error_code == TWILIO_UNSUBSCRIBED:
            store.opt_out(session=session, conversation_id=message.conversation_id)
