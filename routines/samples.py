"""The original routines-api's sample routines (loaded by ``load_sample_routines`` and ``make run``)."""

SAMPLE_ROUTINES: list[tuple[str, str, list[str]]] = [
    (
        "Morning",
        "Getting up and out the door",
        [
            "Shower",
            "Get dressed",
            "Take pills",
            "Make coffee",
            "Make breakfast",
            "Eat breakfast",
            "Get badge",
        ],
    ),
    (
        "Bedtime",
        "Winding down for a good night's sleep",
        [
            "Lay out tomorrow's clothes",
            "Take evening pills",
            "Brush teeth",
            "Set the alarm",
            "Phone on the charger",
            "Read for 20 minutes",
        ],
    ),
    (
        "Clean kitchen",
        "After dinner, before bed",
        [
            "Clear the table",
            "Load the dishwasher",
            "Wash pots and pans",
            "Wipe the counters",
            "Take out the trash",
            "Sweep the floor",
        ],
    ),
    (
        "Hand therapy",
        "Exercises from the occupational therapist",
        [
            "Warm hands in warm water (2 min)",
            "Finger bends (10 times)",
            "Thumb to each fingertip (10 times)",
            "Wrist circles (10 each way)",
            "Squeeze the therapy putty (2 min)",
            "Stretch fingers wide (hold 30 s)",
        ],
    ),
]
