"""The codes the store accepts (SPEC sections 3-5, 8); the schema and the checks share them.

Barrier codes, languages and escalation reasons are defined once, in the pure rules.
"""

from bot.core.barriers import BARRIER_CODES
from bot.core.escalation import REASONS as ESCALATION_REASONS
from bot.core.language import SUPPORTED_LANGUAGES as LANGUAGES

__all__ = [
    "AUTHORS",
    "BARRIER_CODES",
    "CHANNELS",
    "CONTACT_CHANNELS",
    "ESCALATION_REASONS",
    "ESCALATION_STATUSES",
    "INBOUND_STATUSES",
    "LANGUAGES",
    "OUTBOUND_STATUSES",
    "PRIORITIES",
]

CHANNELS = ("rest", "sms", "telegram", "simulator")
CONTACT_CHANNELS = ("sms", "telegram")
INBOUND_STATUSES = ("received", "processed", "held")
OUTBOUND_STATUSES = ("queued", "sent", "delivered", "undelivered", "failed")
AUTHORS = ("family", "bot", "staff", "system")
PRIORITIES = ("normal", "high", "urgent")  # ascending: priority only ever goes up
ESCALATION_STATUSES = ("pending", "open", "resolved")
