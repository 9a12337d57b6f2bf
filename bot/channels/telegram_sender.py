"""The one outbound path for Telegram, used by the bot, staff replies and outreach alike.

`TelegramSender.send` has the same contract as the SMS sender (bot.channels.senders), so
`SenderOutputChannel` wraps either one. It refuses opted-out contacts (all but the one
STOP confirmation), decrypts the chat id only to send, records every message (queued,
then sent with Telegram's message id, or failed with the reason), retries 5xx answers,
timeouts and connection errors with backoff, waits `retry_after` on 429, and never
retries a permanent failure: 403 (the family blocked the bot, which also opts the
contact out) or 400 (chat not found).

It calls `{api_url}{token}/sendMessage` with httpx rather than through `telegram.Bot`:
python-telegram-bot logs each call's parameters (chat id and text) and its base URL
(with the token) at DEBUG and folds HTTP statuses into exception messages, while here
logs carry only conversation ids and Telegram's `error_code`/`retry_after` are read
directly. The inbound side still parses updates with python-telegram-bot.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from bot.channels.senders import OPT_OUT_CONFIRMATIONS, SendResult, Sleep
from bot.settings import Settings

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
# Telegram takes 4096 characters, counted in UTF-16 units: stay clear of the edge.
MAX_TEXT = 4000


@dataclass(frozen=True)
class _Attempt:
    """Telegram's final answer to one message after any retries."""

    status: str
    provider_id: str | None = None
    error_code: str | None = None
    opt_out: bool = False


class _RedactToken(logging.Filter):
    """httpx logs each request URL at INFO, and Telegram's URLs carry the bot token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        return True


def _redact_token_in_http_logs(token: str) -> None:
    """Install the redacting filter on httpx's logger once per token."""
    http_logger = logging.getLogger("httpx")
    if token and not any(
        isinstance(f, _RedactToken) and f.token == token for f in http_logger.filters
    ):
        http_logger.addFilter(_RedactToken(token))


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut a long text (a staff reply, say) at spaces into messages Telegram accepts."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        cut = limit if cut <= 0 else cut
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


class TelegramSender:
    """Sends through the Bot API's sendMessage with retries, recording every message."""

    channel = CHANNEL

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_retry_after: float = 30.0,
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
        self._max_retry_after = max_retry_after
        self._timeout = timeout
        _redact_token_in_http_logs(settings.telegram_token)

    @property
    def method_url(self) -> str:
        """sendMessage on the configured Bot API (the token is appended to the base URL)."""
        return f"{self._settings.telegram_api_url}{self._settings.telegram_token}/sendMessage"

    async def send(
        self,
        conversation_id: str,
        text: str,
        *,
        response_name: str | None = None,
        author: str = "bot",
    ) -> list[SendResult]:
        """Send a text to a conversation's chat (split if it is very long); one result a part."""
        prepared = await asyncio.to_thread(
            self._prepare, conversation_id, text, response_name, author
        )
        if isinstance(prepared, SendResult):
            return [prepared]
        chat_id, parts = prepared
        results: list[SendResult] = []
        async with httpx.AsyncClient(transport=self._transport, timeout=self._timeout) as client:
            for index, (message_id, body) in enumerate(parts):
                attempt = await self._post(client, conversation_id, chat_id, body)
                results.append(
                    await asyncio.to_thread(self._settle, conversation_id, message_id, attempt)
                )
                if attempt.status == "failed":  # the rest would fail the same way
                    for later_id, _ in parts[index + 1 :]:
                        results.append(
                            await asyncio.to_thread(
                                self._settle, conversation_id, later_id, attempt
                            )
                        )
                    break
        return results

    def _prepare(
        self, conversation_id: str, text: str, response_name: str | None, author: str
    ) -> SendResult | tuple[str, list[tuple[int, str]]]:
        """Check consent, then record each part as queued; a SendResult means nothing to send."""
        from bot import store

        parts = split_text(text)
        with store.session_scope() as session:
            confirming = author == "bot" and response_name in OPT_OUT_CONFIRMATIONS
            if not confirming and store.is_opted_out(
                session=session, conversation_id=conversation_id
            ):
                logger.info("telegram to %s refused: the contact opted out", conversation_id)
                return SendResult("refused", error_code="opted_out")
            chat_id = store.delivery_address(
                session=session, conversation_id=conversation_id, key=self._settings.secret_key
            )
            if chat_id is None:
                logger.warning("telegram to %s refused: no chat on record", conversation_id)
                return SendResult("refused", error_code="no_address")
            if not parts:
                return SendResult("refused", error_code="empty")
            recorded: list[tuple[int, str]] = []
            for body in parts:
                message = store.record_outbound(
                    session=session,
                    conversation_id=conversation_id,
                    channel=CHANNEL,
                    text=body,
                    response_name=response_name,
                    author=author,
                    status="queued",
                )
                recorded.append((int(message.id), body))
            return chat_id, recorded

    async def _post(
        self, client: httpx.AsyncClient, conversation_id: str, chat_id: str, body: str
    ) -> _Attempt:
        """POST one message, retrying 429 (after retry_after), 5xx, timeouts, lost connections."""
        payload = {"chat_id": int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id}
        payload["text"] = body
        error = "unknown"
        for attempt in range(1, self._max_attempts + 1):
            retry_after: float | None = None
            try:
                response = await client.post(self.method_url, json=payload)
            except httpx.TimeoutException:
                error = "timeout"
            except httpx.TransportError:
                error = "connection"
            else:
                answer = _json(response)
                if response.is_success and answer.get("ok") is True:
                    sent_id = (answer.get("result") or {}).get("message_id")
                    # Telegram numbers messages per chat: the conversation id makes them unique.
                    provider_id = f"{conversation_id}:{sent_id}" if sent_id is not None else None
                    return _Attempt("sent", provider_id)
                status = response.status_code
                error = str(answer.get("error_code") or status)
                if status == 429:
                    retry_after = _retry_after(answer)
                    if retry_after is not None and retry_after > self._max_retry_after:
                        logger.warning(
                            "telegram to %s: asked to wait %.0f s, more than we hold a reply",
                            conversation_id,
                            retry_after,
                        )
                        return _Attempt("failed", error_code="429")
                elif status < 500:
                    return self._permanent(conversation_id, status, answer)
                else:
                    error = f"http_{status}"
            if attempt == self._max_attempts:
                break
            delay = min(self._max_backoff, self._backoff * 2 ** (attempt - 1))
            if retry_after is not None:
                delay = retry_after  # Telegram's own figure, already bounded above
            logger.warning(
                "telegram to %s: attempt %d got %s, retrying in %.1f s",
                conversation_id,
                attempt,
                error,
                delay,
            )
            await self._sleep(delay)
        logger.error(
            "telegram to %s failed after %d attempts: %s",
            conversation_id,
            self._max_attempts,
            error,
        )
        return _Attempt("failed", error_code=error)

    def _permanent(self, conversation_id: str, status: int, answer: dict[str, Any]) -> _Attempt:
        """A 4xx that retrying cannot fix; a blocked bot or deleted account opts the chat out."""
        description = str(answer.get("description") or "").lower()
        reason = next(
            (r for r in ("blocked", "deactivated", "chat not found") if r in description), ""
        )
        error = f"{status}_{reason.replace(' ', '_')}" if reason else str(status)
        logger.warning("telegram to %s failed for good: %s", conversation_id, error)
        return _Attempt(
            "failed",
            error_code=error,
            opt_out=status == 403 and reason in ("blocked", "deactivated"),
        )

    def _settle(self, conversation_id: str, message_id: int, attempt: _Attempt) -> SendResult:
        """Store the outcome; a family that blocked the bot is opted out here too."""
        from bot import store

        with store.session_scope() as session:
            store.set_outbound_status(
                session=session,
                message_id=message_id,
                status=attempt.status,
                provider_id=attempt.provider_id,
                error_code=attempt.error_code,
            )
            if attempt.opt_out:
                store.opt_out(session=session, conversation_id=conversation_id)
        return SendResult(attempt.status, message_id, attempt.provider_id, attempt.error_code)


def _json(response: httpx.Response) -> dict[str, Any]:
    """The Bot API's answer as a JSON object, or {} when it is not one."""
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _retry_after(answer: dict[str, Any]) -> float | None:
    """Seconds Telegram asks us to wait (`parameters.retry_after`), when usable."""
    parameters = answer.get("parameters")
    value = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return float(value)
