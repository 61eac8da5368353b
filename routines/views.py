"""The routines pages: Today's checklists, create/edit/reorder a routine, its history.

Each view parses the request, calls one service or selector, and renders or redirects. Ticking on
Today is a plain form POST (``day_save``); routines/static/routines/today.js upgrades it to a
per-checkbox call of the API toggle, so it saves without a reload.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.web.forms import add_service_errors
from routines import selectors, services
from routines.forms import DayForm, ItemForm, NewRoutineForm, ReminderForm, RoutineForm, ScheduleForm
from routines.models import Routine, RoutineItem


def _routine(request, pk: int) -> Routine:
    try:
        return selectors.routine_get(owner=request.user, pk=pk)
    except Routine.DoesNotExist as exc:
        raise Http404("No such routine.") from exc


def _item(routine: Routine, item_pk: int) -> RoutineItem:
    for item in routine.items.all():
        if item.pk == item_pk:
            return item
    raise Http404("This item is no longer part of the routine.")


def _board_url(day: date, today: date, anchor: str = "") -> str:
    url = reverse("routines:today")
    if day != today:
        url += f"?date={day.isoformat()}"
    return url + (f"#{anchor}" if anchor else "")


@login_required
def today(request):
    """Today's checklists, or with ``?date=YYYY-MM-DD`` (the history's days, the date field) any
    past day's: ticked the same way. A future day or a date written wrong is refused (400)."""
    zone = clock.user_zone(request.user)
    real_today = clock.zone_today(zone=zone)
    day, error = real_today, ""
    asked = request.GET.get("date", "").strip()
    if asked:
        try:
            day = date.fromisoformat(asked)
        except ValueError:
            error = f"{asked[:20]!r} is not a date; pick one or write it YYYY-MM-DD."
        else:
            if day > real_today:
                error = f"{day.isoformat()} is in the future: you can tick days up to today."
        if error:
            day = real_today
    board = selectors.routine_board(owner=request.user, day=day, zone=zone)
    context = {
        "board": board,
        "day": day,
        "today": real_today,
        "is_today": day == real_today,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1) if day < real_today else None,
        "date_error": error,
        "off_routines": selectors.routines_off(owner=request.user),
    }
    return render(request, "routines/today.html", context, status=400 if error else 200)


@login_required
@require_POST
def day_save(request, pk: int, day: str):
    """Without JavaScript: the routine's form posts every ticked box; the day becomes exactly that."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404("Not a date.") from exc
    routine = _routine(request, pk)
    real_today = clock.user_today(request.user)
    back = _board_url(min(parsed, real_today), real_today, f"routine-{routine.pk}")
    form = DayForm(request.POST, item_ids=[item.pk for item in routine.items.all()])
    if not form.is_valid():
        messages.error(request, "That item is no longer part of the routine; reload and try again.")
        return redirect(back)
    if parsed > real_today:
        messages.error(request, f"{parsed.isoformat()} is in the future: you can tick days up to today.")
        return redirect(back)
    try:
        state = services.routine_day_set(
            owner=request.user, routine_id=routine.pk, day=parsed, item_ids=form.cleaned_data["checked"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    when = "" if parsed == real_today else f" for {parsed:%a %d %b %Y}"
    messages.success(request, f"Saved {routine.name}{when}: {state.done}/{state.total} done.")
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def routine_new(request):
    form = NewRoutineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            routine = services.routine_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Created {routine.name}.")
            return redirect("routines:today")
    status = 400 if form.errors else 200
    return render(request, "routines/routine_form.html", {"form": form}, status=status)


RENAME_REFUSED = "routines_rename_refused"  # session key: a refused rename, shown once at its item


def _render_edit(
    request, routine, *, form=None, add_form=None, schedule_form=None, reminder_form=None, status=200
):
    from routines.schedules import weekdays_names

    refused = request.session.pop(RENAME_REFUSED, None)
    context = {
        "routine": routine,
        "form": form or RoutineForm(initial={"name": routine.name, "description": routine.description}),
        "add_form": add_form or ItemForm(),
        "schedule_form": schedule_form
        or ScheduleForm(
            initial={
                "schedule": routine.schedule,
                "weekdays": weekdays_names(routine.weekdays),
                "times_per_week": routine.times_per_week,
            }
        ),
        "reminder_form": reminder_form
        or ReminderForm(
            initial={
                "remind_at": routine.remind_at,
                "remind_by": routine.remind_by,
                "remind_phone": routine.remind_phone,
            }
        ),
        "undo": _pending_undo(request, routine),
        "refused": refused if refused and refused.get("routine") == routine.pk else None,
    }
    return render(request, "routines/routine_edit.html", context, status=status)


# An item deleted on the edit page can be put back for this long (the pending undo lives in the
# session, server side, with its deadline: past it the Undo button is gone and a late POST says so).
UNDO_SECONDS = 120
UNDO_KEY = "routines_undo_item"


def _pending_undo(request, routine) -> dict | None:
    pending = request.session.get(UNDO_KEY)
    if not pending or pending.get("routine_id") != routine.pk:
        return None
    left = int(pending["until"] - clock.now().timestamp())
    if left <= 0:
        request.session.pop(UNDO_KEY, None)
        return None
    return {**pending, "seconds_left": left}


def _to_edit(routine, anchor: str):
    return redirect(reverse("routines:edit", args=[routine.pk]) + f"#{anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def routine_edit(request, pk: int):
    routine = _routine(request, pk)
    if request.method == "GET":
        return _render_edit(request, routine)
    form = RoutineForm(request.POST)
    if form.is_valid():
        try:
            services.routine_update(routine=routine, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved {routine.name}.")
            return redirect("routines:edit", pk=routine.pk)
    return _render_edit(request, _routine(request, pk), form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def routine_schedule(request, pk: int):
    """Every day, chosen weekdays or N times a week."""
    routine = _routine(request, pk)
    if request.method == "GET":
        return _to_edit(routine, "schedule")
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.routine_schedule_set(routine=routine, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{routine.name} is now due: {routine.schedule_text}.")
            return _to_edit(routine, "schedule")
    return _render_edit(request, _routine(request, pk), schedule_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def routine_status(request, pk: int):
    """Pause, archive or resume (the buttons post ``status``)."""
    routine = _routine(request, pk)
    if request.method == "GET":
        return _to_edit(routine, "status")
    status = request.POST.get("status", "")
    try:
        services.routine_status_set(routine=routine, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _to_edit(routine, "status")
    said = {"active": "is back on Today", "paused": "is paused", "archived": "is archived"}[status]
    messages.success(request, f"{routine.name} {said}; its history is kept.")
    return redirect("routines:today") if status != "active" else _to_edit(routine, "status")


@login_required
@require_http_methods(["GET", "POST"])
def routine_reminder(request, pk: int):
    routine = _routine(request, pk)
    if request.method == "GET":
        return _to_edit(routine, "reminder")
    form = ReminderForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.routine_reminder_set(
                routine=routine,
                remind_at=data["remind_at"],
                remind_by=data["remind_by"],
                phone=data["remind_phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if routine.remind_at:
                messages.success(
                    request, f"Reminder set for {routine.remind_at:%H:%M} by {routine.remind_by}."
                )
            else:
                messages.success(request, "No reminder for this routine.")
            return _to_edit(routine, "reminder")
    return _render_edit(request, _routine(request, pk), reminder_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request, pk: int):
    routine = _routine(request, pk)
    if request.method == "GET":  # a reload of a refused add: back to the page, never a blank 405
        return _to_edit(routine, "add-item")
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.routine_item_add(routine=routine, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added {item.text}.")
            return redirect(reverse("routines:edit", args=[routine.pk]) + "#add-item")
    return _render_edit(request, routine, add_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def item_rename(request, pk: int, item_pk: int):
    """Rename an item; either way back to the edit page at the item (a refused rename shows its
    error there, with the text as typed), so the address never stays on this POST-only one."""
    routine = _routine(request, pk)
    item = _item(routine, item_pk)
    if request.method == "GET":
        return _to_edit(routine, f"item-{item.pk}")
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.routine_item_rename(item=item, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Item renamed.")
            return _to_edit(routine, f"item-{item.pk}")
    request.session[RENAME_REFUSED] = {
        "routine": routine.pk,
        "item": item.pk,
        "text": request.POST.get("text", "")[:200],
        "errors": [str(error) for errors in form.errors.values() for error in errors],
    }
    return _to_edit(routine, f"item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def item_remove(request, pk: int, item_pk: int):
    routine = _routine(request, pk)
    item = _item(routine, item_pk)
    if request.method == "GET":
        return _to_edit(routine, f"item-{item.pk}")
    gone = services.routine_item_delete_undoable(item=item)
    request.session[UNDO_KEY] = {**asdict(gone), "until": clock.now().timestamp() + UNDO_SECONDS}
    messages.success(request, f"Deleted {gone.text}.")
    return _to_edit(routine, "undo")


@login_required
@require_http_methods(["GET", "POST"])
def item_undo(request, pk: int):
    """Put back the item just deleted, while its undo lasts (``UNDO_SECONDS``)."""
    routine = _routine(request, pk)
    if request.method == "GET":
        return _to_edit(routine, "undo")
    pending = _pending_undo(request, routine)
    if pending is None:
        messages.error(request, "Too late to undo: the deleted item is gone for good.")
        return redirect("routines:edit", pk=routine.pk)
    request.session.pop(UNDO_KEY, None)
    fields = {name: pending[name] for name in ("routine_id", "item_id", "text", "index")}
    item = services.routine_item_restore(routine=routine, deleted=services.DeletedItem(**fields))
    messages.success(request, f"{item.text} is back.")
    return _to_edit(routine, f"item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def routine_move(request, pk: int):
    """Move a routine up or down on Today (the buttons work without JavaScript)."""
    routine = _routine(request, pk)
    if request.method == "POST":
        offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
        if offset is None:
            raise Http404("Unknown direction.")
        services.routine_move(routine=routine, offset=offset)
    return redirect(reverse("routines:today") + f"#routine-{routine.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def reorder(request, pk: int):
    """Move items up and down, one button press (a form POST) at a time."""
    routine = _routine(request, pk)
    if request.method == "POST":
        try:
            item = _item(routine, int(request.POST.get("item", "")))
            offset = {"up": -1, "down": 1}[request.POST.get("direction", "")]
        except (ValueError, KeyError) as exc:
            raise Http404("Unknown item or direction.") from exc
        services.routine_item_move(item=item, offset=offset)
        return redirect(reverse("routines:reorder", args=[routine.pk]) + f"#item-{item.pk}")
    return render(request, "routines/reorder.html", {"routine": routine})


@login_required
@require_http_methods(["GET", "POST"])
def routine_remove(request, pk: int):
    routine = _routine(request, pk)
    if request.method == "POST":
        services.routine_delete(routine=routine)
        messages.success(request, f"Deleted {routine.name}.")
        return redirect("routines:today")
    return render(request, "routines/routine_delete.html", {"routine": routine})


def _month_weeks(days: list, month: date) -> list[list]:
    """The days of ``month`` as calendar weeks, Monday first (None pads the first and last week)."""
    cells = [d for d in days if d.date.year == month.year and d.date.month == month.month]
    weeks: list[list] = []
    row: list = [None] * month.weekday()
    for cell in cells:
        row.append(cell)
        if len(row) == 7:
            weeks.append(row)
            row = []
    if row:
        weeks.append(row + [None] * (7 - len(row)))
    return weeks


def _month_after(month: date, step: int) -> date:
    index = month.year * 12 + month.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


@login_required
def history(request, pk: int):
    """A routine's calendar, a month at a time (``?month=YYYY-MM``, default this one) or a year
    (``?year=YYYY``), with the current and best streak and the monthly trend: one routine read and
    one DynamoDB Query, however many days."""
    routine = _routine(request, pk)
    zone = clock.user_zone(request.user)
    today = clock.zone_today(zone=zone)
    first = selectors.first_day(created_at=routine.created_at, zone=zone)
    year_view = "year" in request.GET
    try:
        if year_view:
            year = int(request.GET["year"])
            start, end = date(year, 1, 1), date(year, 12, 31)
        else:
            asked = request.GET.get("month") or today.strftime("%Y-%m")
            start = date.fromisoformat(asked + "-01")
            end = _month_after(start, 1) - timedelta(days=1)
    except (ValueError, OverflowError):
        return render(
            request,
            "routines/history.html",
            {"routine": routine, "error": "Ask for a month as ?month=YYYY-MM or a year as ?year=YYYY."},
            status=400,
        )
    result = selectors.routine_history(routine=routine, start=start, end=end, zone=zone, today=today)
    months = [date(start.year, m, 1) for m in range(1, 13)] if year_view else [start]
    calendar = [{"month": month, "weeks": _month_weeks(result.days, month)} for month in months]
    context = {
        "routine": routine,
        "history": result,
        "calendar": calendar,
        "year_view": year_view,
        "today": today,
        "window_counted": result.counted_days,
        "trend_max": max((m.rate for m in result.months), default=0),
    }
    if year_view:
        context["previous"] = f"?year={start.year - 1}" if start.year > first.year else None
        context["next"] = f"?year={start.year + 1}" if start.year < today.year else None
        context["switch"] = f"?month={today:%Y-%m}" if start.year == today.year else f"?month={start.year}-01"
    else:
        before, after = _month_after(start, -1), _month_after(start, 1)
        context["previous"] = f"?month={before:%Y-%m}" if before >= first.replace(day=1) else None
        context["next"] = f"?month={after:%Y-%m}" if after <= today else None
        context["switch"] = f"?year={start.year}"
    return render(request, "routines/history.html", context)


@login_required
@require_POST
def samples_load(request):
    result = services.routine_samples_load(owner=request.user)
    messages.success(request, result.summary())
    return redirect("routines:today")
