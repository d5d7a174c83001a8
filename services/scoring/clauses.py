"""Cuts interview notes into clauses: the unit in which a negation or a judgement applies.

Interviewers write sentences, bullets, asides in parentheses and dashes, template fields
split by pipes, and contrasts ("knew the term, but could not apply it"). A negation or a
"with a lot of hints" reaches to the end of its clause and no further; a contrast word
starts a new clause and remembers that it did, so a gap after "but" can take back the
claim before it. A clause also knows its sentence (two ideas of one sentence can make a
hazard) and whether that sentence is a question (the interviewer's words, not evidence).

Offsets are positions in the original text, never in a lowered copy. `as_read` gives the
text the rules read: dialect spellings of a negation ("couldnae") as the English of the
same length ("couldn't"), so its offsets are the original's too.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Final, NamedTuple

from services.scoring.regex_gate import gated

native: Any
try:
    import hiring_pipeline_native as native
except ImportError:  # pragma: no cover - the Python split serves without it
    native = None

_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_SCOTS_NEGATION: Final = gated(
    r"\b(?:(could|would|should|did|does|is|was|were|are|has|have|had|must|need)(nae)"
    r"|(can)(nae)|(dinnae|disnae|widnae)|(dinna|canna)|(wis)(nae))\b",
    re.IGNORECASE | re.ASCII,
)
"""Scots negations ("couldnae", "didnae", "cannae", "dinnae"): every rule that reads a
negation knows "couldn't", "cannot" and "don't" of the same length."""
_AS_READ: Final = {
    "nae": "n't",
    "dinnae": "do not",
    "disnae": "do not",
    "widnae": "do not",
    "dinna": "don't",
    "canna": "can't",
}


_SCOTS_NA: Final = gated(
    r"\b(could|would|should|did|does|is|was|has|had|have)(na)\b|\b(nae)(?=\s{1,3}[a-z])", re.IGNORECASE | re.ASCII
)
"""Doric's negations ("didna", "hasna", "wasna") and its "nae" for "no" ("Nae idea on status
codes", "Nae thought on injection"): read as "didnt", "hasnt" (the spelling without an
apostrophe every negation rule knows) and " no", padded in front as German's "ohne" is, each of
the same length (a quote starting inside the written word starts at the word: `evidence._quote`).
Round 162's Aberdeen voice, unseen: three weak notes read strong on the topics they denied, and
"Didna restart first" read as a restart. Read as "not" (-294), "nae" lost every rule that reads
"no X" ("nae ownership check", "Nae deprecation, nae keeping da old field"): round 163's
Shetland voice, four red flags; as " no", four found and one strong note lost, a story whose
English ("no leader election, no lock, so we'd bill twice") reads as weak too."""
_SCOTS_NA_HINTS: Final = ("dna", "sna", "vena", "nae", "DNA", "SNA", "VENA", "NAE", "Nae")
"""Parts of those words: a note with none of them is read without the search."""


_FOREIGN_NEGATION: Final = gated(
    r"\b(walang|kein|keine|keinen|keiner|keinem|keines|nicht|ohne)\b", re.IGNORECASE | re.ASCII
)
"""A negation of another language in notes that switch between it and English: Tagalog's
"walang" ("walang outbox, walang retry"), German's "kein", "nicht" and "ohne" ("ohne
Backoff, ohne Jitter", "Kein Monitoring, keine Alerts"). Each reads as the English of the
same length, padded in front ("has no", "  no", "  not"), so a practice told without its
safeguard reads as it does in English and every offset stays the written one. None of them
is an English word; not the bare "wala": in Hindi-English it is a suffix ("production wala
thinking")."""
_FOREIGN_AS_READ: Final = {"walang": "has no", "nicht": "not", "ohne": "no"}
_FOREIGN_NEGATION_HINTS: Final = ("alang", "ALANG", "ein", "EIN", "icht", "ICHT", "hne", "HNE")
"""Parts of those words in either case: a note with none of them is read without the search."""


_TELEGRAM_STOP: Final = gated(r"(?<=\s)STOP(?=\s|$)")
"""A telegram's full stop ("KNOWS OUTBOX PATTERN STOP EXPLAINED DEDUPE STOP HIRE STOP"), read as
one (a stop and three spaces) in a note written that way: one that ends on "STOP" and has two or
more. Not "STOP" as a word ("PLEASE STOP USING MD5"): it would read as the candidate rejecting
the practice after it. Round 114's telegram voice, unseen: 95.7 % of verdicts, 87 % of red flags."""


def _foreign_in_english(found: re.Match[str]) -> str:
    word = found.group()
    english = _FOREIGN_AS_READ.get(word.lower(), "no")  # every "kein..."
    return " " * (len(word) - len(english)) + _cased(english, word)


def as_read(notes: str) -> str:
    """The notes with dialect spellings of a negation (and another language's, `_FOREIGN_NEGATION`) in the English
    every rule reads, of the same length, so that every offset in it is an offset in the notes as written: the
    rules read this copy, and every quote is cut from the written text. Text struck through
    in markdown ("~~obs looks strong~~ EDIT: ... nothing") is what the interviewer took back:
    it reads as blanks. Lines broken only to fit a width (`unwrapped`) read as one. A
    no-break or other typographic space (text pasted from a document) reads as a space."""
    if not notes.isascii():
        notes = notes.translate(_SPACES)
    if "~~" in notes:
        notes = _STRUCK_THROUGH.sub(_blanked, notes)
    if "\n" in notes:
        notes = unwrapped(notes)
    if "STOP" in notes and notes.rstrip().endswith("STOP") and notes.count(" STOP") >= 2:
        notes = _TELEGRAM_STOP.sub(".   ", notes)
    if any(word in notes for word in _FOREIGN_NEGATION_HINTS):
        notes = _FOREIGN_NEGATION.sub(_foreign_in_english, notes)
    if any(hint in notes for hint in _SCOTS_NA_HINTS):
        notes = _SCOTS_NA.sub(_na_in_english, notes)
    if not ("nae" in notes or "nna" in notes or "NAE" in notes or "NNA" in notes or "Nae" in notes):
        return notes  # what the search below finds, without searching: nearly every note
    return _SCOTS_NEGATION.sub(_in_english, notes)


_TREE_BRANCHES: Final = "├┝┞┟┠┡┢┣└┕┖┗╰╞╟╠╘╙╚"
_SPACES: Final = str.maketrans(
    dict.fromkeys([0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " ")
    | dict.fromkeys(range(0x2500, 0x2580), " ")
    | dict.fromkeys(map(ord, _TREE_BRANCHES), "-")
)
"""Unicode's spaces other than the ASCII space, each one character: a no-break space from a
word processor is the space the lexicons' patterns spell. With three spaces in ten as
no-break spaces, `dev` lost a point of verdicts and 1.6 of red flags. A tree drawn with box
characters ("├── GET /sites/{id}/windows", "└── ok") reads as bullets: each branch a "-", every
other line of the drawing a space (round 137's tree outline voice)."""


_WRAPPED_LINE: Final = 45
"""The shortest line that may have been broken only to fit a width (in characters)."""
_WRAPPED_LINES: Final = 3
"""The fewest lines of a wrapped paragraph: two long lines may as well be two thoughts ("... 4/4"
then "overall 4/5")."""
_WRAP_RAGGED: Final = 20
"""How much shorter than the longest a wrapped paragraph's lines (but the last) may be."""
_LIST_ITEM: Final = gated(r"\s*(?:[-*•>|#]|\d{1,2}[.):]|[A-Za-z][\w /&-]{0,30}:(?:\s|$))")
"""A line that starts an item of its own: a bullet, a number, a time, a quote, a heading, "Label:"."""
_GOES_ON: Final = gated(
    r"(?:,|\b(?:the|a|an|to|of|in|on|at|by|for|from|with|and|or|but|nor|so|is|are|was|were|be|that|which|who|"
    r"than|as|into|onto|via|using|its|his|her|their|our|my|no|not|very|more|most|would|could|should|will|can))$",
    re.IGNORECASE,
)
"""A line that ends where a sentence cannot ("... stored in the", "... retries,")."""


def unwrapped(notes: str) -> str:
    """The notes with each line break that only wraps a paragraph at a width (text pasted from
    an email, or typed in an editor that wraps) as a space: a line break ends a clause, and a
    wrapped sentence would be read in pieces ("... with no\nretry budget" negates nothing).

    A paragraph is wrapped when it has three lines or more, every line but its last is long,
    of about one length, and the first word of the next line would not have fitted on it (how
    a width fills greedily); of its breaks, those before a lower-case word, or after a word no
    sentence ends on, read as spaces. A list, or lines of one thought each, keep theirs."""
    lines = notes.split("\n")
    breaks: list[int] = []
    start = 0
    paragraph: list[tuple[int, str]] = []  # (offset, line) of the paragraph being read
    for line in [*lines, ""]:
        text = line.rstrip("\r")
        if not text.strip() or (paragraph and _LIST_ITEM.match(text)):
            breaks += _wrapping_breaks(paragraph)
            paragraph = []
        if text.strip():
            paragraph.append((start, text))
        start += len(line) + 1
    if not breaks:
        return notes
    read = list(notes)
    for at in breaks:
        read[at] = " "
        if at > 0 and read[at - 1] == "\r":
            read[at - 1] = " "
    return "".join(read)


def _wrapping_breaks(paragraph: list[tuple[int, str]]) -> list[int]:
    """The offsets of the line breaks in `paragraph` that only wrap it (see `unwrapped`)."""
    if len(paragraph) < _WRAPPED_LINES:
        return []
    width = max(len(text) for _, text in paragraph)
    if width - min(len(text) for _, text in paragraph[:-1]) > _WRAP_RAGGED:
        return []  # lines that vary by more than a long word were not filled to one width
    breaks = []
    for (_, text), (start, following) in itertools.pairwise(paragraph):
        word = following.lstrip()
        first = len(word.split(" ", 1)[0])
        if len(text) < _WRAPPED_LINE or len(text) + 1 + first <= width:
            return []  # a short line, or room left for the next word: not wrapped at a width
        if word[:1].islower() or _GOES_ON.search(text.rstrip()):
            breaks.append(start - 1)
    return breaks


_STRUCK_THROUGH: Final = gated(r"~~(?=\S)(?:(?!~~)[^\n]|\n(?!\s*\n)){1,500}?(?<=\S)~~")


def _blanked(struck: re.Match[str]) -> str:
    return " " * len(struck.group())


def _in_english(found: re.Match[str]) -> str:
    if found.group(2):
        return found.group(1) + _cased("n't", found.group(2))
    if found.group(4):
        return found.group(3) + _cased("not", found.group(4))
    if found.group(8):
        return _cased("was", found.group(7)) + _cased("n't", found.group(8))
    word = found.group(5) or found.group(6)
    return _cased(_AS_READ[word.lower()], word)


def _na_in_english(found: re.Match[str]) -> str:
    if found.group(2):
        return found.group(1) + _cased("nt", found.group(2))
    return " " + _cased("no", found.group(3)[1:])  # padded in front, as "ohne" is


def _cased(english: str, written: str) -> str:
    """`english` in the case of `written`: upper case for "DIDNAE", a capital for "Dinnae"."""
    if written.isupper():
        return english.upper()
    return english[:1].upper() + english[1:] if written[:1].isupper() else english


_KNOWN_YET: Final = (
    "view",
    "views",
    "opinion",
    "idea",
    "sense",
    "feel",
    "grasp",
    "handle",
    "plan",
    "answer",
    "understanding",
    "experience",
    "exposure",
    "background",
    "depth",
    "clarity",
    "intuition",
    "position",
    "familiarity",
    "thoughts",
    "story",
)
"""The words after which "yet" and a preposition continue the clause (look-behinds in `_BOUNDARY`;
`KNOWN_YET` in `native/`)."""
_BOUNDARY: Final = gated(
    r"(?P<end>(?<!=)(?<!= )[!?]+[\x27\x22]?(?=\s|$)|(?<!\.)\.[\x27\x22]?(?=\s|$)|\n\s*|;|\s\|\s|\s[-–—]{1,2}\s|[–—]|\s-{2}|(?<=\s)[(\[]|(?<!\()[)\]](?!\w))"
    r"|(?P<contrast>\b(?:but|however|although|though|whereas|(?<!not )(?<!there )(?<!ready )(?<!just )(?<!n't )(?<!n’t )(?:yet(?!\s(?:on|in|for|of|about|with|at|around)\b)|"
    + "".join(f"(?<!{word} )" for word in _KNOWN_YET)
    + r"yet)|except that|other than that|apart from that)\b)",
    re.IGNORECASE,
)
_MAY_START: Final = gated(r"[!?.\n;|()\[\]–—-]")
_CONTRAST_WORDS: Final = (
    "but",
    "however",
    "although",
    "though",
    "wherea",
    "yet",
    "except that",
    "other than that",
    "apart from",
)
"""Where a boundary can start: at one of these characters, just before one (a space before
"|", "-", "–" or "—"), or at a contrast word. A superset, so `_boundaries` finds exactly what
searching every position finds (`test_fast_scoring.py` checks it).

The contrast words are looked for with `str.find` in a lower-case copy (`_lowered`), not
with a case-insensitive regex (which tries every position, and cost most of the split):
`re`'s Unicode case folding maps only "İ" and "ı" onto "i", "K" (Kelvin) onto "k" and "ſ"
onto "s", and none of these words holds an i, a k or an s ("wherea" stops before it), so
lowering ASCII letters finds every place the regex would. Overlapping ones too ("though" in
"although"). "Yet" after "not", "n't", "there", "ready" or "just" is no contrast: "I don't
think he's there yet on Cassandra internals", "hasn't yet used argon2 in production" and
"not ready for the role just yet" are one clause each. Nor is "yet" between a word for what
one knows and a preposition (`_KNOWN_YET`): "no real sense yet of locks", "doesn't have a view
yet on versioning, pagination or ..." (the negation covers the list). "Said he would never log
tokens yet in the live demo he printed the JWT" and "Hedged, yet on every point she landed"
are contrasts."""

_ABBREVIATION: Final = gated(r"\b(?:e\.g|i\.e|vs|etc|approx|incl|cf)$", re.IGNORECASE)
"""A full stop after these ends no sentence ("e.g. Kafka"). Nor does a question mark after
"=" or "= ": a SQL placeholder ("WHERE user_id=? AND ts > ..."), not a question."""
_BULLET: Final = gated(r"\s*(?:[-*•·>]+|\d{1,2}[.)])\s+")
_ALNUM: Final = gated(r"[^\W_]")
"""A character for which `str.isalnum()` holds: a word character (`\\w`) other than "_"."""


class Clause(NamedTuple):
    start: int
    end: int
    contrast: bool
    """Whether the clause opens with a contrast word ("but", "however", "though")."""
    sentence: int = 0
    """Which sentence (or line) of the notes the clause belongs to."""
    question: bool = False
    """Whether its sentence is a question: the interviewer's words, not the candidate's."""


def fold_case(text: str) -> str:
    """ASCII lower case of the same length as `text`: safe for offsets (unlike str.lower(),
    which is the same thing, and ten times faster, on ASCII text)."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def split_clauses(notes: str) -> list[Clause]:
    """The clauses of `notes`, in order, covering every stretch of text with a letter or digit.

    ASCII notes (nearly all) are split by the compiled loop (`native/`, when installed),
    which finds exactly what `python_split_clauses` finds; the rest, where `re`'s Unicode
    rules apply ("ſ" is an "s", "\u2003" a space), by `python_split_clauses`."""
    if native is not None:
        if notes.isascii():
            return list(itertools.starmap(Clause, native.split_clauses(notes)))
        text = _one_byte_per_character(notes) if _STAND_INS else None
        if text is not None:
            return list(itertools.starmap(Clause, native.split_clause_bytes(text)))
    return python_split_clauses(notes)


_RUN_ON: Final = 90
"""A clause this long (in characters) may be several sentences written without full stops."""
_RUN_ON_SENTENCES: Final = 160
"""Notes whose sentences are this long on average (in characters) are written without many
full stops; in others a long clause is one long sentence."""
_SENTENCE_OPENER: Final = gated(
    r"(?<=[^\W_A-Z]|[%)\x22\x27])\s(?=(?:"
    r"He|She|They|We|It|This|That|These|Those|There|The|His|Her|Their|Our|My|Its|Each|Every|All|Some|Any|No|"
    r"Nothing|Nobody|Everything|One|Two|Three|Both|Neither|Candidate|Interviewer|Then|Also|After|Before|When|"
    r"While|Once|Later|Overall|Otherwise|Still|Eventually|Finally|First|Second|Next|Initially|Plus|So|And|"
    r"Asked|Knew|Knows|Said|Says|Did|Didn't|Could|Couldn't|Would|Wouldn't|Was|Wasn't|Is|Isn't|Has|Hasn't|Had|"
    r"Hadn't|Does|Doesn't|Can't|Got|Gets|Gave|Took|Went|Used|Uses|Explained|Mentioned|Described|Talked|Walked|"
    r"Proposed|Suggested|Thought|Thinks|Found|Spotted|Noticed|Fixed|Added|Moved|Kept|Keeps|Ran|Wrote|Named|"
    r"Listed|Recited|Pointed|Called|Showed|Designed|Built|Started|Needed|Needs|Wants|Wanted|Understood|"
    r"Understands|Forgot|Missed|Struggled|Seemed|Seems|Sounded|Never|Not|Only|Just|Really|Very|Quite|Maybe|"
    r"Probably|Perhaps|Honestly|Clearly|Good|Great|Strong|Solid|Weak|Clear|Nice|Fine|Excellent|Decent|"
    r"Sensible|Poor|Partial|Partially|Meets|Below|Above|Yes|Summary|Verdict|Concern|Concerns|Risk|Minor|Small|"
    r"He's|She's|They're|It's|That's|There's|He'd|She'd|They'd)\b(?!\.\w))"
)
"""A space where a new sentence likely starts in text written without full stops: a word
that opens sentences (a pronoun, "The", "Asked", "Knew", "Good") with a capital, after a
lower-case word (in any script: "café He"). Not "I" (always a capital) nor names ("Spring",
"Postgres"), nor such a word as a name's first part ("Next.js")."""
_LOWER_CASE_OPENER: Final = gated(
    r"(?<=[a-z0-9])(?:\s(?=(?:he|she|they|we)\s(?:said|says|asked|knew|knows|was|is|were|are|has|had|would|could|did|"
    r"didn't|couldn't|wasn't|wouldn't|doesn't|got|gave|went|kept|keeps|took|thinks|thought|wants|wanted|uses|used|"
    r"explained|mentioned|described|talked|walked|proposed|suggested|found|spotted|noticed|fixed|added|moved|ran|"
    r"wrote|named|listed|showed|designed|built|started|needed|understood|forgot|missed|struggled|seemed|never|also|"
    r"then|just|only)\b)"
    r"|(?<!\bthe)(?<!\ban)(?<!\ba)(?<!\bour)(?<!\bmy)(?<!\bhis)(?<!\bher)(?<!\btheir)(?<!\bits)\s(?=overall\b)"
    r"|(?<!\bwas)(?<!\bwere)(?<!\bis)(?<!\bam)(?<!\bbeen)(?<!\bbeing)(?<!\bgot)(?<!\bget)(?<!\bhe)(?<!\bshe)(?<!\bthey)(?<!\bwe)"
    r"(?<!\bi)(?<!\bhad)(?<!\bhas)(?<!\bhave)(?<!\bjust)(?<!\balso)\s(?=asked\b))"
)
"""The same in notes whose sentences open in lower case ("pg" and "SQL" may still be
capitals): a subject and its verb ("he said", "she used"), or "overall" that is no
adjective ("the overall design"), or "asked" after a word that is not its subject or auxiliary
("...foreign keys everywhere | asked what happens if..."; "she was asked" is one sentence)."""
_CAPITAL_OPENS: Final = gated(r"(?:[.!?][\s*•-]{1,3}|\n[\s*•-]{0,3})[A-Z](?![A-Z0-9])")
"""Whether the notes open sentences with capitals somewhere after a sentence end or a line
break: a note's first letter alone does not say ("SQL injection was..." in a lower-case note)."""


def runs_on(notes: str, clauses: list[Clause]) -> bool:
    """Whether the notes read as written without full stops: sentences long on average, and
    a clause long enough to be several. Not nearly every note."""
    if not clauses or len(notes) < _RUN_ON_SENTENCES * (clauses[-1].sentence + 1):
        return False  # sentences of ordinary length on average
    return any(clause.end - clause.start >= _RUN_ON for clause in clauses)


def cut_run_ons(notes: str, clauses: list[Clause]) -> list[Clause]:
    """`clauses` (from `split_clauses`) with those that run on for several sentences cut where
    an opener shows a sentence was left without its full stop ("...moved parsing to a worker
    thread Forgot to put an alert on it"): otherwise a hint or a gap in one of them takes back
    the topics of all. Clauses of ordinary length are left as they are. The evidence search
    reads the cut clauses; the notes model reads `split_clauses`' own, as it was trained."""
    if not runs_on(notes, clauses):
        return clauses
    capitals = _CAPITAL_OPENS.search(notes) or _SENTENCE_OPENER.search(notes)
    opener = _SENTENCE_OPENER if capitals else _LOWER_CASE_OPENER
    cut: list[Clause] = []
    added = 0  # sentences found so far, by which every later clause's sentence moves on
    for clause in clauses:
        sentence = clause.sentence + added
        openers = []
        if clause.end - clause.start >= _RUN_ON:
            openers = [space.end() for space in opener.finditer(notes, clause.start, clause.end)]
        starts, ends = [clause.start, *openers], [at - 1 for at in openers] + [clause.end]
        for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
            last = k == len(openers)
            cut.append(Clause(start, end, clause.contrast and k == 0, sentence + k, clause.question and last))
        added += len(openers)
    return cut


_ELLIPSIS: Final = gated(r"(?<=[^\W_]|[\x27\x22)])(?:\.{3}|\u2026)\s+(?=\S)")
"""A thought trailing off into the next: dots right after a word, then a space ("asked about
retries... backoff with jitter... good"); not an elision with spaces around it ("SELECT ...
FOR UPDATE")."""


def cut_ellipses(notes: str, clauses: list[Clause]) -> list[Clause]:
    """`clauses` cut where a thought trails off into the next ("no process.on('uncaughtException')
    that keeps running... log it and exit... right call"): otherwise the last thought's verdict
    is no clause of its own, and a gap in one thought takes back the topics of all. The pieces
    stay in their sentence (a question's "... nothing" still answers it). Like `cut_run_ons`,
    for the evidence search only: the notes model reads the clauses it was trained on."""
    if "..." not in notes and "\u2026" not in notes:
        return clauses
    cut: list[Clause] = []
    for clause in clauses:
        ellipses = [(found.start(), found.end()) for found in _ELLIPSIS.finditer(notes, clause.start, clause.end)]
        if not ellipses:
            cut.append(clause)
            continue
        starts, ends = [clause.start, *[end for _, end in ellipses]], [start for start, _ in ellipses] + [clause.end]
        for k, (start, end) in enumerate(zip(starts, ends, strict=True)):
            last = k == len(ellipses)
            cut.append(Clause(start, end, clause.contrast and k == 0, clause.sentence, clause.question and last))
    return cut


def _one_byte_per_character(notes: str) -> bytes | None:
    """The notes for `native.split_clause_bytes`: "–" and "—" as 0x80, every other non-ASCII
    character as 0xFF, if each is one the split sees only as "not a letter, digit, space or
    bullet" (an emoji, "’", "→"): the split treats 0xFF so. None when some non-ASCII
    character is more ("é", a non-breaking space, "•"): the Python split reads those."""
    found = set(_NON_ASCII.findall(notes))
    if not all(ch in _DASHES or _NEUTRAL.get(ch) or _neutral(ch) for ch in found):
        return None
    if ("’" in found or "”" in found) and _CURLY_QUOTE_BEFORE_MARKS.search(notes):
        return None  # `_asks` reads "’?!" as disbelief set apart by a quote: the stand-in byte hides the quote
    return _NON_ASCII.sub(_stand_in, notes).encode("latin-1")


_CURLY_QUOTE_BEFORE_MARKS: Final = gated(r"[’”][!?]{2}")
"""A curly quote right before "??", "?!" or "!?": where the Python split alone tells disbelief."""
_STAND_INS: Final = hasattr(native, "split_clause_bytes")
"""Whether the compiled split reads stand-in bytes (not a build from before it)."""
_NON_ASCII: Final = gated(r"[^\x00-\x7f]")
_DASHES: Final = frozenset("–—")
_NEUTRAL: Final[dict[str, bool]] = {}
"""Whether each non-ASCII character met so far is no letter, digit, space or bullet."""


def _neutral(ch: str) -> bool:
    neutral = not ch.isalnum() and not ch.isspace() and ch not in "•·"
    if len(_NEUTRAL) < 10_000:
        _NEUTRAL[ch] = neutral
    return neutral


def _stand_in(match: re.Match[str]) -> str:
    return "\x80" if match.group() in _DASHES else "\xff"


def python_split_clauses(notes: str) -> list[Clause]:
    """`split_clauses` in Python: the reference, and the split of non-ASCII notes.

    A parenthesis that opens a sentence closes it: "what do you do? (turn fsync off on the
    primary) what else?" holds the candidate's answer as a sentence of its own, not as the
    start of the next question (whose clauses are the interviewer's words, not evidence)."""
    spans: list[tuple[int, int, bool, int]] = []
    questions: set[int] = set()
    start, contrast, sentence, opened = 0, False, 0, False
    for boundary in _boundaries(notes):
        if boundary.lastgroup == "contrast":
            _add(spans, notes, start, boundary.start(), contrast, sentence)
            start, contrast = boundary.start(), True
            continue
        mark = boundary.group()
        if mark == "." and _ABBREVIATION.search(notes, max(0, boundary.start() - 8), boundary.start()):
            continue
        _add(spans, notes, start, boundary.start(), contrast, sentence)
        start, contrast = boundary.end(), False
        if mark[0] in ".!?\n":
            if _asks(mark, notes[boundary.start() - 1 : boundary.start()]):
                questions.add(sentence)
            sentence, opened = sentence + 1, False
        elif mark in "([":
            opened = not spans or spans[-1][3] != sentence
        elif mark in ")]" and opened:
            sentence, opened = sentence + 1, False
    _add(spans, notes, start, len(notes), contrast, sentence)
    if not spans:
        return [Clause(0, len(notes), False)]
    return [Clause(s, e, c, n, n in questions) for s, e, c, n in spans]


def _asks(mark: str, before: str) -> bool:
    """Whether a sentence's end mark makes it a question. Not "??", "?!" nor "!?" set apart by
    a space or after a quote: after a reported practice that is disbelief ("Balances stored as
    FLOAT, 'we round on display' ??"), the way chess annotators mark a blunder. Typed onto the
    word ("EXPLAIN?? never used it") it is still the interviewer asking."""
    if "?" not in mark:
        return False
    set_apart = before != "" and (before.isspace() or before in "'\"’”")
    return not (("!" in mark or mark.count("?") > 1) and set_apart)


def _boundaries(notes: str) -> list[re.Match[str]]:
    """`_BOUNDARY.finditer(notes)`, at a fifth of the cost: the regex is tried only where a
    boundary can start, not at every character (in order, each after the last one's end)."""
    marks = [mark.start() for mark in _MAY_START.finditer(notes)]
    candidates = {*marks, *[at - 1 for at in marks if at]}  # and the space of " | ", " - "
    folded = _lowered(notes)
    for word in _CONTRAST_WORDS:
        at = folded.find(word)
        while at >= 0:
            candidates.add(at)
            at = folded.find(word, at + 1)
    found = []
    end = 0
    for at in sorted(candidates):
        if at >= end:
            boundary = _BOUNDARY.match(notes, at)
            if boundary:
                found.append(boundary)
                end = boundary.end()
    return found


def _lowered(notes: str) -> str:
    """A lower-case copy of the same length in which every ASCII letter is lowered as
    `fold_case` lowers it: `str.lower()` (fast on any text) unless it changes the length ("İ"
    lowers to two characters). It also lowers other letters, "K" (Kelvin) to "k" among them:
    more places to try, never fewer, and no contrast word holds a "k"."""
    lowered = notes.lower()
    return lowered if len(lowered) == len(notes) else fold_case(notes)


def _add(
    spans: list[tuple[int, int, bool, int]], notes: str, start: int, end: int, contrast: bool, sentence: int
) -> None:
    bullet = _BULLET.match(notes, start, end)
    if bullet:
        start = bullet.end()
    text = notes[start:end]
    stripped = text.strip()
    if stripped and _ALNUM.search(stripped):  # "," between ")" and "but" is no clause
        start += len(text) - len(text.lstrip())
        spans.append((start, start + len(stripped), contrast, sentence))
