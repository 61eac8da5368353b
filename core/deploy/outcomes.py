"""How the provisioning commands print what they did: one line per resource, then a summary."""

from collections import Counter


def write_outcomes(command, outcomes: list[tuple[str, str, str]]) -> str:
    for kind, name, outcome in outcomes:
        command.stdout.write(f"{kind:<6} {name}: {outcome}")
    counts = Counter(outcome for _, _, outcome in outcomes)
    changed = counts["created"] + counts["deleted"]
    if not outcomes:
        return "No resources are declared."
    if changed == 0:
        return f"Nothing changed: all {len(outcomes)} resources were already as asked."
    return ", ".join(f"{n} {word}" for word, n in sorted(counts.items())) + "."
