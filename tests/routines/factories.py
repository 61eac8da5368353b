"""Routines for tests: ``RoutineFactory(owner=alice, name="Morning", items=["Shower", ...])``."""

import factory

from routines.models import Routine, RoutineItem
from routines.samples import SAMPLE_ROUTINES
from tests.accounts.factories import UserFactory

# The original app's Morning routine (the sample data `make run` loads).
MORNING_ITEMS = next(items for name, _, items in SAMPLE_ROUTINES if name == "Morning")


class RoutineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Routine
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Routine {n}")
    description = ""
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def items(routine, create, extracted, **kwargs):
        """``items=["Shower", ...]``: the routine's items, in that order."""
        if create and extracted:
            RoutineItem.objects.bulk_create(
                RoutineItem(routine=routine, text=text, position=n) for n, text in enumerate(extracted)
            )


class RoutineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutineItem

    routine = factory.SubFactory(RoutineFactory)
    text = factory.Sequence(lambda n: f"Item {n}")
    position = factory.Sequence(lambda n: n)
