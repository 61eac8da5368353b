"""Forms of the routines pages. They only parse; the services decide what is valid and their
``ValidationError`` is attached back to the form (``core.forms.add_service_errors``)."""

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
