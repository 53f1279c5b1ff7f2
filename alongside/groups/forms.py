import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import WITHIN_PLANNING_HORIZON, AccessibleFormMixin
from alongside.core.many_pickers import ManyPickerField
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession, SessionKind
from alongside.programs.models import Program
from alongside.supporters.models import Supporter


class SessionForm(AccessibleFormMixin, forms.Form):
    """A session's details; the date and time are read on the program's clock."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    kind = forms.ChoiceField(
        label=_("What kind of session?"), choices=SessionKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=150)
    date = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    length_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=60
    )
    place = forms.CharField(
        label=_("Place (optional if there is a video call link)"),
        required=False,
        max_length=300,
        help_text=_("The address or room. Give a place, a video call link, or both."),
    )
    video_link = forms.URLField(
        label=_("Video call link (optional if there is a place)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For example https://meet.example.org/our-group"),
    )
    capacity = forms.IntegerField(
        label=_("Places (optional)"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("How many people can come. Leave empty when there is no limit."),
    )
    notes = forms.CharField(
        label=_("Notes for those attending (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        programs: QuerySet[Program] | None = None,
        program: Program | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_program = program
        if program is not None:
            del self.fields["program"]
        else:
            field = self.fields["program"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = programs if programs is not None else Program.objects.none()
            if programs is not None and len(programs) == 1:
                field.initial = programs[0]
        zone_name = program.time_zone if program else None
        self.fields["time"].help_text = (
            _("On the program's clock (%(zone)s).") % {"zone": zone_name}
            if zone_name
            else _("On the program's clock.")
        )

    @classmethod
    def for_session(cls, session: GroupSession, *args: Any, **kwargs: Any) -> "SessionForm":
        start = session.starts_at.astimezone(zoneinfo.ZoneInfo(session.program.time_zone))
        initial = {
            "kind": session.kind,
            "title": session.title,
            "date": start.date(),
            "time": start.time().replace(second=0, microsecond=0),
            "length_minutes": session.length_minutes,
            "place": session.place,
            "video_link": session.video_link,
            "capacity": session.capacity,
            "notes": session.notes,
        }
        return cls(*args, program=session.program, initial=initial, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        program: Program | None = self.fixed_program or cleaned.get("program")
        day: dt.date | None = cleaned.get("date")
        time: dt.time | None = cleaned.get("time")
        if program is not None and day is not None and time is not None:
            starts_at = dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(program.time_zone))
            if starts_at <= timezone.now():
                self.add_error("date", _("This time has already passed. Choose a later one."))
            cleaned["starts_at"] = starts_at
        has_place = cleaned.get("place", "").strip() or cleaned.get("video_link")
        if not has_place and "video_link" not in self.errors:
            self.add_error("place", _("Give a place, a video call link, or both."))
        return cleaned

    def session_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"].strip(),
            "starts_at": data["starts_at"],
            "length_minutes": data["length_minutes"],
            "place": data["place"].strip(),
            "video_link": data["video_link"],
            "capacity": data["capacity"],
            "notes": data["notes"].strip(),
        }


class CancelForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone invited gets an e-mail with this reason."),
    )


class InviteForm(AccessibleFormMixin, forms.Form):
    """Every active supporter of the program, or the ones chosen by searching their names
    (core.many_pickers): never a box for each supporter."""

    ALL = "all"
    CHOSEN = "chosen"
    FIELD = "supporters"

    who = forms.ChoiceField(label=_("Who do you want to invite?"), widget=forms.RadioSelect)
    supporters = ManyPickerField(
        label=_("Supporters to invite"),
        required=False,
        help_text=_("Only when you choose who to invite. Type part of a name, then tick who."),
    )

    def __init__(self, *args: Any, invitable: QuerySet[Supporter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        who = self.fields["who"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [
            (
                self.ALL,
                _("Every active supporter of the program (%(count)d)")
                % {"count": invitable.count()},
            ),
            (self.CHOSEN, _("Only the supporters I choose below")),
        ]
        who.initial = self.ALL

    @classmethod
    def initial_from(cls, query: QueryDict) -> dict[str, Any]:
        """What a search sent without JavaScript kept: the chosen, and "only those chosen"."""
        chosen = query.getlist(cls.FIELD)
        who = query.get("who", "")
        if who not in (cls.ALL, cls.CHOSEN):
            who = cls.CHOSEN if chosen else cls.ALL
        return {"who": who, cls.FIELD: chosen}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chose_nobody = cleaned.get("who") == self.CHOSEN and not cleaned.get("supporters")
        if chose_nobody and "supporters" not in self.errors:
            self.add_error(
                "supporters",
                _("Choose at least one supporter, or invite every active supporter."),
            )
        return cleaned

    def chosen(self) -> list[Supporter] | None:
        """The supporters chosen, or None for every active supporter."""
        if self.cleaned_data["who"] == self.ALL:
            return None
        return list(self.cleaned_data["supporters"])


class AttendanceForm(AccessibleFormMixin, forms.Form):
    """For each person invited: did they come? Leave blank who you do not know about."""

    CAME = "came"
    DID_NOT_COME = "absent"

    def __init__(self, *args: Any, attendances: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        for attendance in attendances:
            initial = {
                AttendanceStatus.ATTENDED: self.CAME,
                AttendanceStatus.ABSENT: self.DID_NOT_COME,
            }.get(AttendanceStatus(attendance.status))
            self.fields[f"attendance_{attendance.pk}"] = forms.ChoiceField(
                label=attendance.supporter.display_name,
                required=False,
                choices=[(self.CAME, _("Came")), (self.DID_NOT_COME, _("Did not come"))],
                widget=forms.RadioSelect,
                initial=initial,
                help_text=_("Said: %(answer)s") % {"answer": attendance.get_status_display()}
                if attendance.status in (AttendanceStatus.ATTENDING, AttendanceStatus.NOT_COMING)
                else "",
            )
        # Bootstrap classes for the fields added after the mixin ran.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-check-input")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.attendances and not any(cleaned.get(name) for name in self.fields):
            raise forms.ValidationError(
                _("Choose “Came” or “Did not come” for at least one person.")
            )
        return cleaned

    def attended(self) -> dict[int, bool]:
        """Attendance id → whether they came, for each person answered."""
        return {
            attendance.pk: self.cleaned_data[f"attendance_{attendance.pk}"] == self.CAME
            for attendance in self.attendances
            if self.cleaned_data.get(f"attendance_{attendance.pk}")
        }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("coming", _("I will come")), ("not_coming", _("I can't come"))]
    )
