"""The codes the store accepts (SPEC sections 3-5, 8); the schema and the checks share them."""

LANGUAGES = ("en", "es", "vi", "zh", "ar", "ht")
CHANNELS = ("rest", "sms", "telegram", "simulator")
CONTACT_CHANNELS = ("sms", "telegram")
INBOUND_STATUSES = ("received", "processed", "held")
OUTBOUND_STATUSES = ("queued", "sent", "delivered", "undelivered", "failed")
AUTHORS = ("family", "bot", "staff", "system")
BARRIER_CODES = (
    "transportation",
    "health",
    "mental_health",
    "bullying_safety",
    "school_engagement",
    "caregiving",
    "housing",
    "basic_needs",
    "work_schedule",
    "family_circumstances",
    "sleep_routine",
    "other",
)
ESCALATION_REASONS = ("crisis", "requested", "low_rating", "serious_barrier", "fallback")
PRIORITIES = ("normal", "high", "urgent")  # ascending: priority only ever goes up
ESCALATION_STATUSES = ("pending", "open", "resolved")
