"""Is a passphrase a person chose too easy to guess?

The file it protects can be copied and attacked offline at leisure, so a
passphrase that is among the first few thousand any cracker tries is refused
with a line saying why. Rules (no network, no dictionary download):

* one of the most common passwords (an embedded list), also with a digit or
  two or a ``!`` tacked on, or written with the usual letter-for-digit swaps;
* the app's own name, or a passphrase built only around it;
* one character repeated, or a short group repeated (``abcabcabc``);
* a run along the alphabet, the digits or a keyboard row (``abcdefgh``,
  ``12345678``, ``qwertyuiop``, ``asdfghjkl``, backwards too);
* too few different characters (``aaaabbbb``).
"""

from __future__ import annotations

import itertools
import re

APP_WORDS = ("mentorshipplanner", "mentorship", "planner")
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "azertyuiop",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i"})
_ADORNMENT = re.compile(r"^(.*?)[\d!?.*#_\-\s]{0,4}$")

#: The most common passwords of the large public leaks (lower case, spaces removed).
_COMMON_WORDS = """
123456 123456789 12345678 password qwerty123 qwerty1 111111 12345 secret 123123
1234567890 1234567 000000 qwerty abc123 password1 iloveyou 654321 666666 987654321
123321 1q2w3e4r 1qaz2wsx 7777777 121212 qwertyuiop dragon monkey letmein football
baseball welcome login admin princess solo starwars master sunshine shadow ashley
michael superman batman trustno1 hello freedom whatever qazwsx 696969 mustang
access jordan23 harley ranger buster thomas tigger robert soccer hockey killer
george charlie andrew michelle love jennifer hunter zxcvbnm asdfghjkl 2000 jordan
pepper daniel hannah summer internet computer corvette maverick cheese matthew
chelsea biteme ginger yankees taylor austin merlin london passw0rd p@ssw0rd
passwort motdepasse contrasena senha wachtwoord salasana haslo parola lozinka
changeme default administrator root toor guest user test testing test123
letmeinplease iloveyou1 lovely loveme fuckyou fuckoff asshole 88888888 11111111
00000000 12341234 abcd1234 1234abcd aa123456 a1b2c3d4 q1w2e3r4 zaq12wsx
qwer1234 asdf1234 password123 password12 welcome1 welcome123 admin123 root123
football1 baseball1 monkey123 dragon123 sunshine1 princess1 superman1 master123
iloveyou123 starwars1 pokemon minecraft fortnite naruto samsung google apple
facebook twitter linkedin microsoft windows linux ubuntu secret123 mypassword
mypass passpass pass1234 passphrase mysecret opensesame letmein123 trustnoone
correcthorse donotforget nopassword forgotpassword unknown blahblah whatever1
qwerty12 qwerty123456 1qazxsw2 q1w2e3r4t5 1q2w3e4r5t 1q2w3e4r5t6y zxcvbnm123
asdfgh asdfghjk qwertyui azerty azerty123 qwertz qwertz123 jesus christ heaven
angel angels blessed family friends forever lovelove sweetheart babygirl
mentorship mentor mentee planner mentorshipplanner
"""
COMMON = frozenset(_COMMON_WORDS.split())


def weakness(text: str) -> str | None:
    """Why ``text`` is too easy to guess, or None if it is not (by these rules)."""
    squeezed = re.sub(r"\s+", "", text).casefold()
    if not squeezed:
        return "it is empty"
    if _common(squeezed):
        return "it is one of the most common passwords"
    if _only_app_name(squeezed):
        return "it is the app's name"
    core = squeezed.strip("!?.,;:*#_-") or squeezed  # a mark at either end adds nothing
    if _repeated(core):
        return "it only repeats the same characters"
    if _sequence(core):
        return "it is a simple sequence (like 12345678, abcdefgh or qwertyuiop)"
    if len(set(squeezed)) < 4:
        return "it uses too few different characters"
    return None


def _common(text: str) -> bool:
    candidates = {text, text.translate(_LEET)}
    for word in list(candidates):
        found = _ADORNMENT.match(word)
        if found:
            candidates.add(found.group(1))
        candidates.add(word.rstrip("0123456789!?.*#_-"))
        candidates.add(word.lstrip("0123456789!?.*#_-"))
    return any(word in COMMON for word in candidates if word)


def _only_app_name(text: str) -> bool:
    for variant in (text, text.translate(_LEET)):
        letters = re.sub(r"[^a-z]", "", variant)
        rest = letters
        for word in APP_WORDS:
            rest = rest.replace(word, "")
        if rest != letters and len(rest) < 3:  # nothing of its own beyond the name and marks
            return True
    return False


def _repeated(text: str) -> bool:
    return re.fullmatch(r"(.{1,4}?)\1+", text) is not None


def _sequence(text: str) -> bool:
    """Every step goes one along the same row (forwards or backwards)."""
    for row in _SEQUENCES:
        for line in (row, row[::-1]):
            if text in line or text in line * 3:
                return True
    return _arithmetic(text)


def _arithmetic(text: str) -> bool:
    """Characters that climb or fall by one each (``abcdefgh``, ``98765432``)."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1}
