"""Notes that read like a person wrote them, composed from templates and slots.

A template such as "Talked about {p} {artefact}; {s} {wants} a review {day}."
is filled with the person's pronouns (verbs agree: she wants, they want) and
slots drawn lazily from small pools, which may nest ("talk proposal for {event}").
"""

from __future__ import annotations

import random

_VERBS = (
    "is",
    "has",
    "wants",
    "needs",
    "was",
    "plans",
    "thinks",
    "prefers",
    "seems",
    "feels",
    "hopes",
    "does",
    "gets",
    "asks",
    "loves",
    "runs",
)
_PLURAL = {"is": "are", "has": "have", "was": "were", "does": "do"}


def _pronoun_forms(s: str, o: str, p: str) -> dict[str, str]:
    forms = {"s": s, "S": s.capitalize(), "o": o, "p": p, "P": p.capitalize()}
    for verb in _VERBS:
        forms[verb] = verb if s != "they" else _PLURAL.get(verb, verb[:-1])
    return forms


PRONOUN_FORMS = {
    "she": _pronoun_forms("she", "her", "her"),
    "he": _pronoun_forms("he", "him", "his"),
    "they": _pronoun_forms("they", "them", "their"),
}

SLOTS: dict[str, tuple[str, ...]] = {
    "event": (
        "PyCon US",
        "EuroPython",
        "PyCon APAC",
        "PyData Berlin",
        "FOSDEM",
        "KubeCon",
        "DjangoCon Europe",
        "JSConf",
        "RustConf",
        "GopherCon",
        "SciPy",
        "DevRelCon",
        "All Things Open",
        "the local Python meetup",
        "PyCon Africa",
        "Python Brasil",
        "PyCon JP",
        "PyCon India",
        "the women-in-tech meetup",
        "the company offsite",
        "the spring hackathon",
        "Write the Docs",
    ),
    "tech": (
        "typing",
        "async IO",
        "packaging",
        "observability",
        "Rust extensions",
        "data validation",
        "WebAssembly",
        "testing strategy",
        "accessibility",
        "open-source governance",
        "ML pipelines",
        "API design",
        "documentation",
        "CI speed",
        "community building",
        "hiring juniors",
        "public speaking",
        "Postgres tuning",
        "design systems",
        "threat modelling",
        "Kubernetes costs",
    ),
    "project": (
        "the packaging RFC",
        "the docs overhaul",
        "the plugin API",
        "the CLI rewrite",
        "the async migration",
        "the onboarding guide",
        "the benchmark suite",
        "the accessibility audit",
        "the 2.0 release",
        "the type-hint cleanup",
        "the translation effort",
        "the design system",
        "the data pipeline",
        "the mentoring programme",
        "the conference app",
        "the Rust extension",
        "the flaky-test hunt",
        "the new website",
    ),
    "artefact": (
        "talk proposal for {event}",
        "blog post on {tech}",
        "first conference talk",
        "workshop for {event}",
        "book chapter on {tech}",
        "podcast episode",
        "case study",
        "promotion packet",
        "grant application",
        "newsletter",
        "tutorial on {tech}",
        "meetup talk",
        "keynote draft",
        "thesis chapter",
        "RFC on {tech}",
        "lightning talk",
    ),
    "day": (
        "by Friday",
        "before the weekend",
        "by next Tuesday",
        "by the end of the month",
        "before the CFP closes",
        "next week",
        "in two weeks",
        "before the release",
        "after the holidays",
        "by Monday",
    ),
    "feeling": (
        "nervous",
        "excited",
        "unsure",
        "worried",
        "optimistic",
        "hesitant",
        "much more confident",
        "enthusiastic",
        "a bit anxious",
        "cautiously optimistic",
        "frustrated",
        "curious",
    ),
    "state": (
        "stretched thin",
        "tired but upbeat",
        "a bit stuck",
        "energised",
        "overloaded",
        "distracted by a reorg",
        "in great form",
        "quieter than usual",
    ),
    "city": (
        "Berlin",
        "Lisbon",
        "Toronto",
        "Nairobi",
        "Osaka",
        "Melbourne",
        "Austin",
        "Barcelona",
        "Warsaw",
        "Bangalore",
        "Seoul",
        "Mexico City",
        "Amsterdam",
    ),
    "goal": (
        "give a first talk at {event}",
        "become a core maintainer of {project}",
        "move into a staff role",
        "ship {project}",
        "start a local meetup",
        "write a book on {tech}",
        "mentor two juniors",
        "switch to developer relations",
        "finish the PhD",
        "raise a seed round",
        "speak at {event}",
    ),
    "next": (
        "review {p} {artefact} {day}",
        "intro to {other} about {tech}",
        "send the {event} CFP link",
        "ask about {project}",
        "share {p} {artefact}",
        "book a proper 1:1",
        "check how {project} went",
        "nominate {o} for the award",
        "offer a dry run of the talk",
    ),
    "when": (
        "Tuesday morning",
        "over lunch",
        "late on Friday",
        "after the standup",
        "on the train",
        "before {p} flight",
        "in the hallway track",
    ),
    "heading": (
        "1:1 notes",
        "Goals",
        "Follow-ups",
        "Ideas to pitch",
        "After {event}",
        "Things to remember",
        "Career chat",
        "Open questions",
    ),
}

TOUCH_BY_KIND: dict[str, tuple[str, ...]] = {
    "im": (
        "Quick check-in: {s} {is} {feeling} about {project}.",
        "{S} pinged about {p} {artefact}; sent two links on {tech}.",
        "Chatted about {tech}; {s} {wants} a second pair of eyes on {project}.",
        "{S} shared a draft of the {artefact}. Looks strong already.",
    ),
    "sms": (
        "Congrats text: {s} got accepted to speak at {event}!",
        "{S} asked if we can move our call to {when}.",
        "Sent good luck for {p} {artefact}.",
    ),
    "call": (
        "Long call about {tech}; {s} {is} {state}.",
        "Talked through {p} {artefact}; {s} {wants} a review {day}.",
        "Helped {o} prepare for a promotion conversation.",
        "Call about {project}: the blocker is the review queue, offered to help.",
    ),
    "video": (
        "Video 1:1. {S} {wants} to {goal}; we sketched a plan.",
        "Dry run of {p} {artefact}. Cut the intro by half, kept the demo.",
        "Screen-shared {project}; {s} {is} close to a first release.",
        "Talked about {p} {artefact}; {s} {wants} a review {day}.",
    ),
    "coffee": (
        "Coffee {when}. {S} {is} thinking about a move to {city}.",
        "Coffee near {p} office; mostly about {tech} and {p} plans for next year.",
        "Coffee: {s} {is} {feeling} about {project}, asked for an intro to {other}.",
    ),
    "meal": (
        "Lunch with {o}: {tech}, hiring, and {p} {artefact}.",
        "Dinner after {event}. {S} {wants} to {goal}.",
        "Beers with {o} and {other}; good ideas for {project}.",
    ),
    "in-person": (
        "Met at {p} office; walked through {project} together.",
        "Ran into {o} {when}; short chat about {tech}.",
        "Whiteboard session on {project} with {o} and {other}.",
    ),
    "email": (
        "Emailed {o} the notes from our last chat and a few links on {tech}.",
        "Sent feedback on {p} {artefact}: shorter intro, one clear takeaway.",
        "{S} asked for a reference letter; said yes, due {day}.",
        "Thanked {o} for the reference call with a prospect.",
    ),
    "event": (
        "Saw {o} at {event}; {s} {has} a talk idea about {tech}.",
        "Caught up at {event}. {S} {wants} to organise a sprint on {project}.",
        "Watched {p} talk at {event}: great demo, rushed ending.",
    ),
    "collab": (
        "Paired on {project} for an hour; {s} {is} close to a first release.",
        "Co-wrote the outline of a post on {tech} with {o}.",
        "Reviewed {p} pull request for {project}; merged after two rounds.",
    ),
    "amplify": (
        "Shared {p} {artefact} on social; good reactions.",
        "Boosted {p} announcement of {project}.",
        "Recommended {o} as a speaker for {event}.",
        "Featured {p} {artefact} in the newsletter.",
    ),
    "other": (
        "Sent a thank-you card for the help with {project}.",
        "Introduced {o} to {other}; they will talk about {tech}.",
    ),
}
TOUCH_ANY = (
    "Talked about {p} {artefact}; {s} {wants} a review {day}.",
    "{S} asked for an intro to {other} about {tech}.",
    "Introduced {o} to {other}; both care about {tech}.",
    "Celebrated {p} first merged PR to {project}!",
    "{S} {is} hiring for {p} team and asked me to spread the word.",
    "{S} {has} a deadline on {project} {day}; offered to unblock the review.",
    "Asked {o} to co-author a post on {tech}.",
    "{S} {is} stepping back from {project}; talked about who could take over.",
    "Gave feedback on {p} {artefact}.",
    "{S} {seems} {state}; keep the asks light for a while.",
)
FOLLOW_UPS = (
    " Follow up {day}.",
    " Next: {next}.",
    " {S} {prefers} async for now.",
    " Promised to {next}.",
    "",
)
CONTEXT = (
    "{S} {wants} to {goal} within a year.",
    "{S} {is} moving to {city} in the spring.",
    "{S} {prefers} short messages over long calls.",
    "Goal for this quarter: {goal}.",
    "{S} {runs} the {tech} track at {event} this year.",
    "{S} {has} a new manager and {seems} {state}.",
    "Good person to ask about {tech}.",
    "{S} {is} the one who got {other} into open source.",
    "{S} {loves} reviewing talks; ask before {event}.",
    "{P} {artefact} got a lot of attention; worth a thank-you.",
    "Keep an eye on {project}: {s} {does} most of the work there.",
)
BULLETS = (
    "{wants} to {goal}",
    "blocked on {project}",
    "**{artefact}** due {day}",
    "asked about {tech}",
    "{is} {state}",
    "intro to {other}",
    "next: {next}",
    "talked about {event}",
    "{is} mentoring someone new on {project}",
)


class Slots(dict):
    """Pronoun forms up front; every other slot drawn the first time it is used."""

    def __init__(self, rng: random.Random, pronoun: str, others: list[str]):
        super().__init__(PRONOUN_FORMS[pronoun])
        self.rng = rng
        self.others = others

    def __missing__(self, key: str) -> str:
        if key == "other":
            value = self.rng.choice(self.others) if self.others else "a friend of mine"
        else:
            value = self.rng.choice(SLOTS[key])
            if "{" in value:
                value = value.format_map(self)
        self[key] = value
        return value


class Composer:
    """Writes touchpoint notes, dated notes and the free notes about a person."""

    def __init__(self, rng: random.Random, others: list[str]):
        self.rng = rng
        self.others = others  # short names of people who may be mentioned

    def _fill(self, template: str, pronoun: str) -> str:
        return template.format_map(Slots(self.rng, pronoun, self.others))

    def touch_note(self, kind: str, pronoun: str) -> str:
        rng = self.rng
        pool = TOUCH_BY_KIND.get(kind, TOUCH_ANY) if rng.random() < 0.7 else TOUCH_ANY
        text = rng.choice(pool)
        if rng.random() < 0.3:
            text += rng.choice(FOLLOW_UPS)
        return self._fill(text, pronoun)

    def dated_note(self, pronoun: str) -> str:
        """Plain sentences, or (often) a first line of context then a Markdown list:
        the first line is what summaries such as the focus list show."""
        rng = self.rng
        slots = Slots(rng, pronoun, self.others)
        picked = rng.sample(CONTEXT, rng.randint(1, 3))
        if rng.random() < 0.55:
            return " ".join(t.format_map(slots) for t in picked)
        lines = [picked[0].format_map(slots), "", f"**{rng.choice(SLOTS['heading'])}**"]
        lines[-1] = lines[-1].format_map(slots)
        for template in rng.sample(BULLETS, rng.randint(2, 4)):
            item = template.format_map(slots)
            verb = template.startswith("{") and template[1:].split("}")[0] in _VERBS
            lines.append(f"- {slots['S']} {item}" if verb else f"- {item[0].upper()}{item[1:]}")
        if "next" not in slots and rng.random() < 0.3:
            lines += ["", f"Next: **{slots['next']}**."]
        return "\n".join(lines)

    def about(self, pronoun: str, year: int) -> str:
        """The free notes on a contact: how you met, sometimes a bit of context."""
        rng = self.rng
        slots = Slots(rng, pronoun, self.others)
        text = f"Met at {slots['event']} in {year}."
        if rng.random() < 0.6:
            text += " " + rng.choice(CONTEXT).format_map(slots)
        return text
