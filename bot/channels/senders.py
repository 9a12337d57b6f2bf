"""The one outbound path per provider, used by the bot, staff replies and outreach alike.

A sender refuses opted-out contacts, makes the text cheap (GSM-7, at most two segments a
message), records every part before it leaves, retries what can succeed later and records
what never will. Phone numbers are decrypted only to be sent; logs see conversation ids.

Outbound statuses in the store: `queued` recorded here, not yet accepted by the provider;
`sent` accepted by the provider (its message id is stored); then `delivered`,
`undelivered` or `failed` from the provider, which are final.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import httpx
from rasa.core.channels.channel import OutputChannel

from bot.core.sms import count_segments, split_for_sms, to_gsm7
from bot.settings import Settings

logger = logging.getLogger(__name__)

SMS_MAX_SEGMENTS = 2  # SPEC section 6: every SMS fits in two segments
TWILIO_UNSUBSCRIBED = "21610"  # "Attempt to send to unsubscribed recipient"
STATUS_PATH = "/webhooks/sms/status"  # where Twilio reports delivery (bot.channels.sms)
# The one confirmation a family may get after STOP (FCC 24-24): the gates opt the contact
# out first, then the bot confirms; nothing else ever reaches an opted-out contact.
OPT_OUT_CONFIRMATIONS = frozenset({"utter_stop_confirm"})

# Twilio's message statuses in our vocabulary (see the module docstring).
TWILIO_STATUSES: dict[str, str] = {
    "accepted": "sent",
    "scheduled": "sent",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
    "canceled": "failed",
}

Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class SendResult:
    """What became of one outgoing message (each part of a split text is one)."""

    status: str  # queued, sent, delivered, undelivered, failed, or refused (nothing recorded)
    message_id: int | None = None
    provider_id: str | None = None
    error_code: str | None = None
    segments: int = 0

    @property
    def ok(self) -> bool:
        """Whether the provider took the message (delivery may still fail later)."""
        return self.status in ("queued", "sent", "delivered")


class Sender(Protocol):
    """What an output channel, staff replies and outreach need from a channel's sender."""

    channel: str

    async def send(
        self,
        conversation_id: str,
        text: str,
        *,
        response_name: str | None = None,
        author: str = "bot",
    ) -> list[SendResult]: ...


@dataclass(frozen=True)
class _Attempt:
    """The provider's final answer to one message after any retries."""

    status: str
    provider_id: str | None = None
    error_code: str | None = None


class TwilioSender:
    """Sends SMS through Twilio's Messages API with retries, recording every part."""

    channel = "sms"

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        timeout: float = 10.0,
    ) -> None:
        if settings is None:
            from bot.settings import get_settings

            settings = get_settings()
        self._settings = settings
        self._transport = transport
        self._sleep = sleep
        self._max_attempts = max(1, max_attempts)
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._timeout = timeout
        self._http: httpx.AsyncClient | None = None
        self._http_loop: asyncio.AbstractEventLoop | None = None

    @property
    def messages_url(self) -> str:
        base = self._settings.twilio_api_url.rstrip("/")
        return f"{base}/2010-04-01/Accounts/{self._settings.twilio_account_sid}/Messages.json"

    async def send(
        self,
        conversation_id: str,
        text: str,
        *,
        response_name: str | None = None,
        author: str = "bot",
    ) -> list[SendResult]:
        """Send a text to a conversation's number, split into parts of two segments at most."""
        prepared = await asyncio.to_thread(
            self._prepare, conversation_id, text, response_name, author
        )
        if isinstance(prepared, SendResult):
            return [prepared]
        address, parts = prepared
        results: list[SendResult] = []
        client = self._client()
        for index, (message_id, body, segments) in enumerate(parts):
            attempt = await self._post(client, conversation_id, address, body)
            result = await asyncio.to_thread(
                self._settle, conversation_id, message_id, segments, attempt
            )
            results.append(result)
            if attempt.status == "failed":  # the rest would fail the same way
                for later_id, _, later_segments in parts[index + 1 :]:
                    results.append(
                        await asyncio.to_thread(
                            self._settle, conversation_id, later_id, later_segments, attempt
                        )
                    )
                break
        return results

    def _client(self) -> httpx.AsyncClient:
        """One keep-alive client per event loop: TLS set-up is paid once, not per message."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._http_loop is not loop or self._http.is_closed:
            self._http = httpx.AsyncClient(
                transport=self._transport,
                timeout=self._timeout,
                auth=(self._settings.twilio_account_sid, self._settings.twilio_auth_token),
                verify=_tls_context(),
            )
            self._http_loop = loop
        return self._http

    async def aclose(self) -> None:
        """Close the HTTP client (server shutdown)."""
        if self._http is not None and self._http_loop is asyncio.get_running_loop():
            await self._http.aclose()
        self._http = self._http_loop = None

    def _prepare(
        self, conversation_id: str, text: str, response_name: str | None, author: str
    ) -> SendResult | tuple[str, list[tuple[int, str, int]]]:
        """Check consent, then record each part as queued; a SendResult means nothing to send."""
        from bot import store

        with store.session_scope() as session:
            confirming = author == "bot" and response_name in OPT_OUT_CONFIRMATIONS
            if not confirming and store.is_opted_out(
                session=session, conversation_id=conversation_id
            ):
                logger.info("sms to %s refused: the contact opted out", conversation_id)
                return SendResult("refused", error_code="opted_out")
            address = store.delivery_address(
                session=session, conversation_id=conversation_id, key=self._settings.secret_key
            )
            if address is None:
                logger.warning("sms to %s refused: no phone number on record", conversation_id)
                return SendResult("refused", error_code="no_address")
            parts: list[tuple[int, str, int]] = []
            for body in split_for_sms(to_gsm7(text).strip(), SMS_MAX_SEGMENTS):
                segments = count_segments(body)
                message = store.record_outbound(
                    session=session,
                    conversation_id=conversation_id,
                    channel=self.channel,
                    text=body,
                    response_name=response_name,
                    author=author,
                    status="queued",
                    segments=segments,
                )
                parts.append((int(message.id), body, segments))
            return address, parts

    def _form(self, address: str, body: str) -> dict[str, str]:
        """The Messages API form: To, Body, the sender, and where to report delivery."""
        sender = self._settings.twilio_from
        form = {"To": address, "Body": body}
        form["MessagingServiceSid" if sender.startswith("MG") else "From"] = sender
        if self._settings.public_url:
            form["StatusCallback"] = self._settings.public_url.rstrip("/") + STATUS_PATH
        return form

    async def _post(
        self, client: httpx.AsyncClient, conversation_id: str, address: str, body: str
    ) -> _Attempt:
        """POST one message, retrying 429, 5xx, timeouts and connection errors with backoff."""
        form = self._form(address, body)
        error = "unknown"
        for attempt in range(1, self._max_attempts + 1):
            retry_after: float | None = None
            try:
                response = await client.post(self.messages_url, data=form)
            except httpx.TimeoutException:
                error = "timeout"
            except httpx.TransportError:
                error = "connection"
            else:
                if response.is_success:
                    payload = _json(response)
                    sid = payload.get("sid")
                    status = TWILIO_STATUSES.get(str(payload.get("status")), "sent")
                    code = payload.get("error_code")
                    return _Attempt(status, str(sid) if sid else None, str(code) if code else None)
                error = _twilio_error(response)
                if response.status_code != 429 and response.status_code < 500:
                    logger.warning(
                        "sms to %s failed for good: HTTP %d, Twilio error %s",
                        conversation_id,
                        response.status_code,
                        error,
                    )
                    return _Attempt("failed", error_code=error)
                retry_after = _retry_after(response)
            if attempt == self._max_attempts:
                break
            delay = min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
            if retry_after is not None:
                delay = min(self._max_backoff, max(delay, retry_after))
            logger.warning(
                "sms to %s: attempt %d got %s, retrying in %.1f s",
                conversation_id,
                attempt,
                error,
                delay,
            )
            await self._sleep(delay)
        logger.error(
            "sms to %s failed after %d attempts: %s", conversation_id, self._max_attempts, error
        )
        return _Attempt("failed", error_code=error)

    def _settle(
        self, conversation_id: str, message_id: int, segments: int, attempt: _Attempt
    ) -> SendResult:
        """Store the outcome; an unsubscribed recipient (21610) is opted out here too."""
        from bot import store

        with store.session_scope() as session:
            store.set_outbound_status(
                session=session,
                message_id=message_id,
                status=attempt.status,
                provider_id=attempt.provider_id,
                error_code=attempt.error_code,
            )
            if attempt.error_code == TWILIO_UNSUBSCRIBED:
                store.opt_out(session=session, conversation_id=conversation_id)
        return SendResult(
            attempt.status, message_id, attempt.provider_id, attempt.error_code, segments
        )


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """The CA bundle is loaded once per process (httpx would load it for every client)."""
    return httpx.create_ssl_context()


def _json(response: httpx.Response) -> dict[str, Any]:
    """The response body as a JSON object, or {} when it is not one."""
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _twilio_error(response: httpx.Response) -> str:
    """Twilio's numeric error code (never its message, which can quote the number)."""
    code = _json(response).get("code")
    if isinstance(code, int | str) and str(code):
        return str(code)
    return f"http_{response.status_code}"


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header, when the provider sent a usable one."""
    try:
        value = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


class SenderOutputChannel(OutputChannel):
    """Rasa's output channel for any sender: every bot reply takes the channel's one path."""

    def __init__(self, sender: Sender) -> None:
        self.sender = sender

    def name(self) -> str:
        """The sender's channel, so Rasa picks channel-specific response variations."""
        return self.sender.channel

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send one bot reply, keeping the response name for the transcript and cost reports."""
        await self.sender.send(recipient_id, text, response_name=kwargs.get("utter_action"))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Text channels have no buttons: send the text once, not one message per button."""
        await self.send_text_message(recipient_id, text, **kwargs)
