from django import template

from alongside.core.models import AuditEvent
from alongside.privacy.audit_log import record_label

register = template.Library()


@register.filter
def audit_record(event: AuditEvent) -> str:
    """The record an event names, as the audit log shows it ("Support request #12")."""
    return record_label(event)
