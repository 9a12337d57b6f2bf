"""The FamilyBot data layer: models, sessions, migrations and query functions.

Importing it opens nothing; engines are made on first use (bot.store.db).
"""

from bot.store.checkins import (
    current_checkin,
    escalate,
    start_checkin,
    update_checkin,
)
from bot.store.context import ConversationContext, conversation_context
from bot.store.conversations import (
    ConversationNotFound,
    get_conversation,
    get_or_create_conversation,
    is_paused,
    pause_conversation,
    resume_conversation,
    set_conversation_language,
)
from bot.store.db import (
    current_revision,
    dispose_engines,
    downgrade,
    get_engine,
    make_engine,
    session_scope,
    upgrade,
)
from bot.store.demo import seed_demo
from bot.store.export import EXPORT_FIELDS, export_checkins, write_csv, write_jsonl
from bot.store.families import (
    add_contact_point,
    conversation_for_contact,
    delivery_address,
    find_contact_point,
    is_opted_out,
    opt_in,
    opt_out,
)
from bot.store.links import LinkCode, create_link_code, redeem_link_code
from bot.store.messages import (
    mark_processed,
    record_inbound,
    record_outbound,
    set_delivery_status,
    set_outbound_status,
    unprocessed_inbound,
)
from bot.store.models import (
    CheckIn,
    CommunityResource,
    ContactPoint,
    Conversation,
    Escalation,
    Family,
    Message,
    School,
    Student,
)
from bot.store.resources import ResourceView, resources_for

__all__ = [
    "EXPORT_FIELDS",
    "CheckIn",
    "CommunityResource",
    "ContactPoint",
    "Conversation",
    "ConversationContext",
    "ConversationNotFound",
    "Escalation",
    "Family",
    "LinkCode",
    "Message",
    "ResourceView",
    "School",
    "Student",
    "add_contact_point",
    "conversation_context",
    "conversation_for_contact",
    "create_link_code",
    "current_checkin",
    "current_revision",
    "delivery_address",
    "dispose_engines",
    "downgrade",
    "escalate",
    "export_checkins",
    "find_contact_point",
    "get_conversation",
    "get_engine",
    "get_or_create_conversation",
    "is_opted_out",
    "is_paused",
    "make_engine",
    "mark_processed",
    "opt_in",
    "opt_out",
    "pause_conversation",
    "record_inbound",
    "record_outbound",
    "redeem_link_code",
    "resources_for",
    "resume_conversation",
    "seed_demo",
    "session_scope",
    "set_conversation_language",
    "set_delivery_status",
    "set_outbound_status",
    "start_checkin",
    "unprocessed_inbound",
    "update_checkin",
    "upgrade",
    "write_csv",
    "write_jsonl",
]
