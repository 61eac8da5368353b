"""Forms of the routines pages. They only parse; the services decide what is valid and their
``ValidationError`` is attached back to the form (``core.web.forms.add_service_errors``)."""

from django import forms


class RoutineForm(forms.Form):
    name = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    description = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Optional."
    )


class NewRoutineForm(RoutineForm):
    items = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 7, "placeholder": "Shower\nGet dressed\nTake pills"}),
        help_text="One item per line, in order. You can add, rename and reorder them later.",
    )

    def clean_items(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ItemForm(forms.Form):
    text = forms.CharField(
        max_length=200, label="Item", widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class DayForm(forms.Form):
    """The no-JavaScript save of a routine's checklist: the ticked item ids."""

    checked = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, item_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["checked"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, pk) for pk in item_ids]


WEEKDAY_CHOICES = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
]


class ScheduleForm(forms.Form):
    schedule = forms.ChoiceField(
        choices=[
            ("daily", "Every day"),
            ("weekdays", "On these days:"),
            ("weekly", "A number of times a week:"),
        ],
        widget=forms.RadioSelect,
    )
    weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple, label="Days"
    )
    times_per_week = forms.IntegerField(min_value=1, max_value=7, required=False, label="Times a week")


class ReminderForm(forms.Form):
    remind_at = forms.TimeField(
        required=False,
        label="Remind me at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your time zone, on days it is due and not done yet. Empty: no reminder.",
    )
    remind_by = forms.ChoiceField(
        choices=[("email", "Email"), ("sms", "Text message (SMS)")], widget=forms.RadioSelect, label="By"
    )
    remind_phone = forms.CharField(
        max_length=16,
        required=False,
        label="Phone (for texts)",
        widget=forms.TextInput(attrs={"type": "tel", "placeholder": "+60123456789", "autocomplete": "tel"}),
    )
