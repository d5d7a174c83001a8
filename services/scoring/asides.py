"""Clauses about the interview itself, not the competency: set aside before the notes are read.

Interviewers open or close a box with the setting ("45 min video call, camera on"), the
candidate's manner ("friendly and relaxed throughout") or background ("currently at a
logistics startup, notice period of a month"), their questions about the job ("asked
good questions about our on-call rotation at the end"), or what the interview did not
cover ("ran out of time before I could ask about monitoring": closing a dev note with one
such sentence turned 78 weak notes strong and lost 81 red flags), or sign off ("More detail
in the shared doc.", "Happy to discuss in the debrief.": the first read as a secret shared
in a doc). None of it is evidence about the
competency, yet the notes model read it as if it were: "good" is one of the strongest
words of the corpus, and one such sentence in front of a weak note moved its tone from
-0.5 to +0.9 and hid its red flag; any extra sentence also thins out the rest of a short
note (the model weighs each note as a whole, so a long note weighs no more than a short
one). Measured on `dev` with a sentence of the kind before each note: 0.30 points of
verdicts and 0.97 points of red flags lost.

The interviewer's account of what they were looking for ("What I listen for is whether
...", "Good answers weigh ...") is set aside too, from its opening clause to the end of its
sentence, unless the candidate's answer is told along the way (`_without_expectations`).
Otherwise a clause is set aside only when *every* part of it (split at commas and semicolons)
is one of the phrasings below, whole: "was relaxed about it" is no manner, "asked
good questions about who the consumers are" no question about the job, and a clause with
anything else in it stays. Neither the lexicons nor the model read what is set aside (the
trainer neither), and a note of nothing else gives no evidence.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

from services.scoring.clauses import Clause
from services.scoring.regex_gate import gated

_NUMBER: Final = r"(?:\d+|an?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|half an?|a few|few|some)"
_MINUTES: Final = rf"{_NUMBER}\s?-?\s?(?:min(?:ute)?s?|m|h|hrs?|hours?)"
_SUBJECT: Final = r"(?:the )?(?:candidate|cand\.?|he|she|they) "
_WHO: Final = rf"(?:{_SUBJECT})?"
_VERY: Final = r"(?:(?:very|quite|really|super|a bit|a little|somewhat|pretty|extremely|rather|generally|overall) )?"
_WHEN: Final = (
    r"(?: (?:throughout(?: the (?:call|chat|interview|session|hour))?|at first|at the start|initially|early on"
    r"|overall|the whole time|all along|today|to (?:talk|chat) (?:to|with)))?"
)
_FELT: Final = r"(?:was|seemed|came across(?: as)?|is|were|felt)"
_MANNER: Final = (
    r"(?:friendly|polite|nervous|personable|pleasant|warm|chatty|punctual|on time|professional|courteous|energetic"
    r"|engaged|enthusiastic|cheerful|likeable|likable|relaxed|anxious|shy|talkative|lovely|nice|good company)"
)
_BARE_MANNER: Final = (
    r"(?:friendly|polite|nervous|personable|pleasant|warm|chatty|punctual|courteous|energetic|engaged|enthusiastic"
    r"|cheerful|likeable|likable|relaxed|anxious|shy|talkative)"
)
_JOB_TOPICS: Final = (
    r"(?:team|teams|role|position|company|culture|on-?call(?: rotation| schedule)?|roadmap|product|business|office"
    r"|remote(?: work)?|hybrid(?: work)?|(?:interview|hiring) process|process|next steps|(?:tech )?stack|benefits"
    r"|growth|career(?: path)?|progression|manager|management|org|organi[sz]ation|day[- ]to[- ]day|working here"
    r"|job|timeline|ways of working|release cadence|team structure|team size|mentoring|onboarding)"
)

PIECES: Final = tuple(
    gated(pattern, re.IGNORECASE)
    for pattern in (
        # the setting: how long, over what, how it went
        rf"{_MINUTES} (?:(?:video|zoom|teams|phone|onsite|on-?site|remote|virtual|in[- ]person)"
        r"(?: (?:call|interview|session|chat|screen|slot|conversation))?|call|interview|session|chat|screen|slot)",
        r"(?:(?:a|the) )?(?:video|zoom|teams|phone|google meet|webex|remote|virtual|in[- ]person|onsite|on-?site)"
        r"(?: (?:call|interview|session|chat|screen))?(?: (?:today|this (?:morning|afternoon)))?",
        r"(?:interview )?(?:done|held|conducted) (?:in person|remotely|over (?:zoom|teams|video|the phone)|on-?site)"
        r"(?:,? whiteboard in (?:the )?room \w+)?",
        r"(?:(?:the|his|her|their|my|our) )?(?:camera|video|audio|sound|mic|microphone|connection|internet|wi-?fi|zoom)"
        r"(?: (?:was|were|is))? (?:on|off|fine|ok|okay|good|great|bad|poor|choppy|laggy|patchy|flaky|spotty|unstable)",
        r"(?:(?:the|his|her|their|my|our) )?(?:camera|video|audio|sound|mic|connection|internet|wi-?fi|zoom|call|line)"
        r" (?:kept )?(?:dropp(?:ed|ing)|cut(?:ting)? out|froze|freez(?:ing|es)|lagg(?:ed|ing)|stutter(?:ed|ing)|died)"
        r"(?: out)?(?: (?:once|twice|a few times|a couple of times|several times|repeatedly))?"
        r"(?: (?:at first|at the start|early on|in the middle|for the first \w+ min(?:ute)?s?))?",
        r"(?:we )?(?:switched|moved|carried on|continued)(?: (?:to|over|on|via))? (?:the |a |their |his |her )?"
        r"(?:phone|audio|dial-?in|laptop|desktop|computer)(?: after (?:a few|\d+) min(?:ute)?s?)?",
        rf"{_WHO}joined (?:from|on|via) (?:a |the |their |his |her )?(?:phone|mobile|laptop|car|train)(?: at first)?",
        r"(?:(?:a|the) )?whiteboard in (?:the )?room \w+|in room \w+",
        r"(?:we )?(?:spent|took) (?:the )?(?:first|last) (?:few|couple of|\d+|five|ten|fifteen) min(?:ute)?s? on"
        r" (?:the )?(?:intros|introductions|small talk|format|logistics|setup)(?: and (?:the )?(?:intros|introductions"
        r"|small talk|format|logistics|setup))?(?: of the (?:session|interview|call))?",
        r"(?:we |the call |the interview |it |i )?(?:started|joined|began|kicked off|arrived|was|were|ran)"
        rf" (?:{_NUMBER} ?(?:min(?:ute)?s? )?)?late",
        r"(?:the )?(?:previous|prior|earlier|last) (?:panel|interview|meeting|call|session) (?:ran|overran|went)"
        r"(?: (?:over|long|late))?",
        r"(?:this|it) was (?:the|my|our|his|her|their) (?:last|first|final|second|third|fourth|\w+) (?:slot|interview"
        r"|session|call|round|section)(?: of the (?:day|loop|week|afternoon|morning))?",
        r"(?:the )?(?:second|third|fourth|first|final|last) (?:interview|round|session) (?:of|in) (?:the|his|her|their)"
        r" (?:loop|day|process|onsite)(?: for (?:this|the) candidate)?",
        r"(?:a )?pair(?:ed)? interview(?: with \w+(?: \w+)? shadowing)?|(?:with )?(?!(?:traffic|requests?|reads?|writes?|dark|canary|prod|production|api|db)\b)"
        r"(?-i:[A-Z])\w+ shadowing"
        r"|shadowed by \w+|(?:i|we|(?-i:[A-Z])\w+) sat in",
        r"(?:i |we )?(?:used|asked|gave|went with) (?:the|our) (?:standard|usual|normal|same|default) (?:\w+ )?"
        r"(?:question|exercise|problem|prompt|scenario)(?: from the (?:bank|pool|list))?(?: for this (?:section|part|box))?",
        r"(?:this|the) (?:section|part|portion) (?:took|lasted|ran)"
        rf" (?:about |around |roughly |~)?{_MINUTES}(?: of the (?:hour|interview|session|call|slot))?",
        rf"took (?:about |around |roughly |~)?{_MINUTES} of the (?:hour|interview|session|call|slot)"
        r"(?: for this (?:part|section))?",
        r"notes (?:written|typed|cleaned) up(?: (?:right|straight|shortly|soon))? (?:after|during)"
        r"(?: the (?:call|interview|session))?",
        r"(?:we )?used (?:the|a) (?:shared|google|collaborative|coderpad) (?:doc|document|editor|pad)"
        r"(?: for this (?:section|part))?",
        # what the interview did not cover ("ran out of time before I could ask about
        # monitoring"): the interviewer's clock, not the candidate's gap
        r"(?:(?:we|i) )?(?:ran (?:out of|short (?:of|on))|were out of|out of) time"
        r"(?: (?:at|in|towards|near) the end)?(?: (?:before|for) (?:the |my |our |any )?(?:last |final |remaining"
        r" |follow-?up |other )?(?:questions?|sections?|parts?|topics?|follow-?ups?|wrap-?up))?"
        r"(?: before (?:i|we) (?:could|got to|managed to) (?:ask|get|cover|go|dig|move|talk)(?: (?:to|about|into|on"
        r" to|onto))? [\w /-]{1,40})?",
        r"(?:(?:we|i) )?(?:did ?n[o\x27’]?t|never) (?:get|got) (?:to|round to|around to) (?:the |my |any )?(?:follow-?up"
        r" |last |remaining |other )?(?:questions?|sections?|parts?|topics?|follow-?ups?)",
        r"(?:(?:we|i|the (?:interview|call|session)) )?(?:ran|went) (?:a (?:bit|little) |(?:a few|\d+|five|ten)"
        r" min(?:ute)?s? )?(?:over|long)",
        r"no time (?:left )?(?:for|to (?:ask|cover|get to)) (?:the )?(?:follow-?up |last |remaining |other )?"
        r"(?:questions?|sections?|parts?|topics?|follow-?ups?)",
        # the interviewer signing off ("Happy to discuss in the debrief.", "More detail in the
        # shared doc.")
        r"(?:(?:i|i\x27m|i am) )?(?:happy|glad) to (?:discuss|talk|chat|expand|elaborate|go into (?:it|this|more))"
        r"(?: (?:more|further|it|this))?(?: (?:in|at|during) (?:the )?(?:debrief|sync|panel|hiring committee|huddle|wash-?up))?",
        r"(?:let me know|lmk|ping me|shout|reach out) if (?:you have |there are |anyone has )?(?:any )?(?:more |further )?questions?",
        r"see (?:you|everyone|y\x27all) (?:at|in) the (?:debrief|sync|huddle|wash-?up)",
        r"(?:more|further|full|fuller) (?:detail|details|notes|context) (?:in|on) (?:the |my )?(?:shared |google |team )?"
        r"(?:doc|document|sheet|scorecard|notes|ticket|thread|write-?up)",
        r"see (?:my|the) (?:other |full |longer |detailed )?(?:notes|doc|document|write-?up)(?: (?:in|on) (?:the )?"
        r"(?:shared |google )?(?:doc|drive|folder|thread|ticket))?",
        r"thanks|thank you|cheers|ty",
        # the candidate's background and plans
        rf"{_WHO}(?:is |was )?currently (?:works?|working|employed) (?:at|for|in) (?:an? |the )?[\w -]{{1,40}}",
        r"(?:an? |(?:his|her|their) )?team of (?:\d+|two|three|four|five|six|seven|eight|nine|ten|\w+ people)",
        rf"{_WHO}(?:is |was )?(?:relocating|moving|relocates) from (?:another|a different) (?:city|country|state)",
        rf"{_WHO}(?:mentioned |has )?(?:a |an |their |his |her )?notice period(?: of| is)? (?:a |an |one |two |three )?"
        r"(?:week|month|weeks|months)",
        rf"{_WHO}(?:is |are )?(?:also )?interviewing (?:with|at|elsewhere)(?: (?:two|three|a few|other|several) "
        r"(?:other )?(?:companies|places|firms))?",
        rf"{_WHO}had done (?:a|the) take-?home(?: (?:beforehand|before|earlier|last week))?",
        # the candidate's manner
        rf"(?:{_SUBJECT}(?:{_FELT} )?|{_FELT} ){_VERY}{_MANNER}(?:,? (?:and )?{_VERY}{_MANNER})*{_WHEN}",
        # ... written bare ("Pleasant.", "Friendly and relaxed throughout."), in words that are no
        # verdict on the work ("Nice." and "Professional." may be one)
        rf"{_VERY}{_BARE_MANNER}(?:,? (?:and )?{_VERY}{_BARE_MANNER})*{_WHEN}",
        # the job talked over ("We talked for twenty minutes about the team and the product roadmap.")
        rf"(?:we |i )?(?:talked|chatted|spoke)(?: for {_MINUTES})? about (?:the |our )?(?:\w+ )?{_JOB_TOPICS}"
        rf"(?: and (?:the |our )?(?:\w+ )?{_JOB_TOPICS})*",
        # small talk ("Pleasant conversation about the weather.")
        rf"(?:{_VERY}{_MANNER} )?(?:conversation|chat|small talk|chit-?chat)(?: (?:about|on|re) (?:the )?"
        r"(?:weather|traffic|commute|journey|trip|weekend|holidays?|football|sport|travel|train strike))?",
        # the candidate's questions about the job
        rf"{_WHO}(?:also )?(?:asked|had) (?:(?:some|a few|lots of|a lot of|many|several|plenty of|loads of) )?"
        r"(?:(?:good|great|smart|thoughtful|sharp|insightful|interesting|solid|relevant|excellent|nice|sensible"
        r"|reasonable|pointed|genuine) )?questions?(?: (?:for|to) us)?"
        rf"(?: (?:about|on|re|regarding|around) (?:our|the) {_JOB_TOPICS})?(?: at the end)?",
    )
)
"""What one part of a clause set aside may be, each matched whole."""

_CUE_WORDS: Final = """
    video zoom teams phone onsite on-site remote remotely virtual person in-person call interview session chat screen
    slot conversation meet webex camera audio sound mic microphone connection internet wifi wi-fi line dial dial-in
    laptop desktop computer mobile car train room intro intros introductions talk format logistics setup late panel
    meeting round section shadowing shadowed sat question questions exercise problem prompt scenario part portion hour
    notes doc document editor pad currently team relocating moving relocates notice interviewing take-home takehome
    friendly polite nervous personable pleasant warm chatty punctual time professional courteous energetic engaged
    enthusiastic cheerful likeable likable relaxed anxious shy talkative lovely nice company topic topics
    sections parts follow-up follow-ups min mins minute minutes happy glad debrief details detail context
    thanks thank cheers ty write-up writeup
"""
CUES: Final = frozenset(_CUE_WORDS.split())
"""Words of which every phrasing set aside has one (a test holds each to it): a clause
without any is never matched against them, which spares nearly every clause the regexes."""
CUE: Final = gated(
    r"\b(?:" + "|".join(sorted(map(re.escape, CUES), key=lambda w: (-len(w), w))) + r")\b", re.IGNORECASE | re.ASCII
)
"""Any of `CUES`, as a word. The evidence search's compiled scan finds it with its other
context regexes, so the scorer searches no note for it."""
_WORDS: Final = gated(r"[a-z]+(?:-[a-z]+)*")
_ANY_PIECE: Final = gated("|".join(f"(?:{piece.pattern})" for piece in PIECES), re.IGNORECASE)
_PARTS: Final = gated(r"\s*[,;]\s*")
LONGEST: Final = 160
"""The longest clause that is set aside: the phrasings above are short, and nearly every
clause of a note is longer, so most are never matched."""
_EDGES: Final = " \t\r\n-*•>()[].!,;:"
"""Bullets, brackets and punctuation around a clause."""
_LABEL: Final = gated(r"(?:context|logistics|setup|admin|note)\s*:\s*", re.IGNORECASE)


def kept(notes: str, clauses: list[Clause], cues: list[int] | None = None) -> list[Clause]:
    """The clauses of `notes` that say something about the competency (see the module's
    docstring), without the interviewer's account of what they were looking for
    (`_without_expectations`). `cues`: where `CUE` can match (its matches' end offsets,
    sorted), if known."""
    return _without_expectations(notes, _about_the_work(notes, clauses, cues))


def _about_the_work(notes: str, clauses: list[Clause], cues: list[int] | None) -> list[Clause]:
    if cues is None:
        if CUES.isdisjoint(_WORDS.findall(notes.lower())):
            return clauses  # nothing to set aside: most notes
        return [clause for clause in clauses if not _set_aside(notes[clause.start : clause.end])]
    if not cues:
        return clauses
    starts = [clause.start for clause in clauses]
    cued = set()  # the clauses a cue ends in: (start, end]
    for end in cues:
        i = bisect.bisect_left(starts, end) - 1
        if i >= 0 and end <= clauses[i].end:
            cued.add(i)
    dropped = {i for i in cued if _set_aside(notes[clauses[i].start : clauses[i].end])}
    return [clause for i, clause in enumerate(clauses) if i not in dropped] if dropped else clauses


_GOOD_OR_BAD: Final = (
    r"(?:good|strong|great|better|best|ideal|model|complete|senior|weak|poor|bad|typical|usual|common|junior"
    r"|average|mediocre|wrong|right|expected|textbook)"
)
_EXPECTATION: Final = gated(
    r"[\s\-*•>()\[\].!,;:]*(?:"  # bullets and punctuation before the opener
    r"(?:what\s+)?(?:i|we)(?:[\x27’]m|[\x27’]re|\s+am|\s+was|\s+were|\s+are)?\s+(?:(?:always|usually|really|mainly|mostly|generally)\s+)?"
    r"(?:(?:listen(?:ing)?|look(?:ing)?|watch(?:ing)?|check(?:ing)?)(?:\s+out)?\s+for\b"
    r"|(?<=[\x27’]m\s)after\b|(?<=\sam\s)after\b"
    r"|(?:want(?:ed)?|hope[ds]?|hoping|expect(?:ed|ing)?|wait(?:ing)?)(?:\s+(?:them|him|her|the\s+candidate|candidates|people))?"
    r"\s+to\s+(?:see|hear|spot|notice|mention|say|reach|name)\b)"
    r"|(?:i\s+was\s+|we\s+were\s+|i[\x27’]m\s+|we[\x27’]re\s+)?looking\s+for\b"
    rf"|(?:(?:a|an|the|my|our)\s+)?{_GOOD_OR_BAD}\s+(?:answers?|candidates?|responses?|solutions?)\s+(?:here\s+|to\s+this\s+)?"
    r"(?:usually|typically|often|would|will|should|tend|mentions?|weighs?|includes?|covers?|talks?|says?|names?|stops?|goes|go"
    r"|reach(?:es)?|gets?|have|has|are|is|do|does|knows?|explains?|starts?|picks?|uses?|spots?|asks?|brings?)\b"
    r"(?!\s+what\s+(?:she|he|they)\b)"
    r"|(?:the\s+)?(?:risky\s+bits|red\s+flags?|traps?|pitfalls?|failure\s+modes?|things|points|signals|bits)\s+(?:i|we)\s+"
    r"(?:watch|look|listen|check|probe)"
    # the interviewer's prescription, labelled: "Expected: idempotency key or server-side dedupe"
    r"|(?:expected|suggestion|should\s+(?:be|have\s+been)|better(?:\s+answer)?|what\s+(?:i|we)\s+wanted"
    r"|ideal(?:\s+answer)?|model\s+answer|correct\s+answer|right\s+answer|recommended\s+fix)\s{0,2}(?::|\s[-–—]{1,2}\s|=>))",
    re.IGNORECASE,
)
"""How an interviewer opens the account of what they were looking for ("What I listen for is
whether ...", "Looking for an Idempotency-Key header ...", "Good answers weigh ...", "the
poor answers are 'bump everything to /v2'", "The risky bits I watch for: ...", "I'm after
optimistic locking ..."): the good and bad practices it names are the exercise's, not the
candidate's. Round 95's setup-heavy voice, whose notes are mostly such accounts, read 84.3 %
of verdicts right, 78.3 % of red flags found and 4.3 % of notes falsely flagged before they
were set aside. "We check them into the repo" (the candidate's team) and "Good answers are what
she gave" (praise) open no such account. Nor does "Fix:", which tells the candidate's fix in most
corpus notes ("Fix: unique constraint on coupon_id ... Unprompted"); "Expected:", "suggestion:",
"Should be:" and the like label the interviewer's prescription (every such `dev` note is weak);
"Suggested:" does not, which often introduces the candidate's own proposal."""
_EXPECTATION_STEMS: Final = (
    "listen",
    "look",
    "watch",
    "check",
    "after",
    "want",
    "hope",
    "hoping",
    "expect",
    "wait",
    "answer",
    "candidate",
    "response",
    "solution",
    "bits",
    "flag",
    "trap",
    "pitfall",
    "modes",
    "things",
    "points",
    "signals",
    "suggest",
    "should",
    "better",
    "ideal",
    "model",
    "correct",
    "right",
)
"""A stem of which every `_EXPECTATION` opener holds one: a note without any is not read clause by
clause (a substring test per stem costs less than any regex over the note)."""
_ANSWER: Final = gated(
    # the candidate's present practice: "Should be: parameterised; he builds the query with f-strings"
    # (not "whether she knows ...", "if they use ...": what the interviewer listens for)
    r"(?<!whether\s)(?<!if\s)(?<!that\s)(?<!how\s)\b(?:(?:he|she|the\s+candidate|this\s+candidate|candidate)\s+(?:\w+ly\s+)?[a-z]{2,}s\b"
    r"|they\s+(?:\w+ly\s+)?(?:use|build|keep|store|retry|put|write|send|log|hash|read|do|have|are|say|return|call|run|save|skip)\b)"
    r"|\b(?:(?:he|she|they|the\s+candidate|this\s+candidate|candidate)\s+(?:\w+ly\s+)?"
    r"(?:\w+ed|went|got|said|gave|did|knew|chose|picked|drew|wrote|made|came|took|had|was|were|nailed|hit|saw|spotted"
    r"|found|proposed|suggested|answered|described|missed|never|didn[\x27’]?t|did\s+not|couldn[\x27’]?t|could\s+not"
    r"|wasn[\x27’]?t|weren[\x27’]?t)\b"
    r"|(?:his|her|hers|their|theirs)(?:\s+(?:answer|reply|response|pick|choice|proposal|design|solution|fix|take|go-to))?\s+(?:was|were)\b"
    r"|[-–—:;,(]\s{0,2}(?:got|went\s+straight|reached|landed|nailed|missed)\b)",
    re.IGNORECASE,
)
"""What the candidate did, said or answered ("and his answer was MD5", "hers was optimistic
locking", "- got string concatenation instead", "she described it unprompted"): where an account
of expectations ends, even inside its own clause."""
_ANSWER_FIRST: Final = gated(r"(?:got|went\s+straight|reached|landed|nailed|missed)\b", re.IGNORECASE)
"""A clause that opens with the candidate's answer, its subject left out ("got string concatenation")."""


def _content_start(notes: str, clause: Clause) -> int:
    """Where a clause's words start, after bullets, brackets and punctuation."""
    text = notes[clause.start : clause.end]
    return clause.end - len(text.lstrip(_EDGES))


def _without_expectations(notes: str, clauses: list[Clause]) -> list[Clause]:
    """`clauses` without the interviewer's account of what they were looking for: from a
    clause that opens with `_EXPECTATION` to the end of its sentence, unless the candidate's
    answer is told along the way (`_ANSWER`: that clause and the rest are kept, and an opening
    clause that holds the answer is kept whole: "I was hoping to hear about optimistic locking
    and she described it unprompted")."""
    lowered = notes.lower()
    if not any(stem in lowered for stem in _EXPECTATION_STEMS):
        return clauses
    out = []
    skipping = -1  # the sentence being skipped
    for clause in clauses:
        if clause.sentence == skipping:
            start = _content_start(notes, clause)
            if (
                _ANSWER.search(notes, start, clause.end) is None
                and _ANSWER_FIRST.match(notes, start, clause.end) is None
            ):
                continue
            skipping = -1
        else:
            opener = _EXPECTATION.match(notes, clause.start, clause.end)
            if opener is not None and _ANSWER.search(notes, opener.end(), clause.end) is None:
                skipping = clause.sentence
                continue
        out.append(clause)
    return out if len(out) < len(clauses) else clauses


def _set_aside(text: str) -> bool:
    return len(text) <= LONGEST and aside(text)


def aside(text: str) -> bool:
    """Whether a clause's text is only about the interview's setting or the candidate as a
    person: every part of it one of `PIECES`, whole. Each has a word of `CUES`, which is
    checked first: it rules out nearly every clause for a fraction of the regexes' cost."""
    text = text.strip(_EDGES)
    label = _LABEL.match(text) if ":" in text else None
    if label is not None:
        text = text[label.end() :]
    parts = [part for part in _PARTS.split(text) if part] if "," in text or ";" in text else [text]
    return (
        bool(parts)
        and all(not CUES.isdisjoint(_WORDS.findall(part.lower())) for part in parts)
        and all(_ANY_PIECE.fullmatch(part) for part in parts)
    )


HEADING: Final = gated(
    r"[\s\-*#>•]*(?:api design|apis?|databases?|db|data modell?ing|concurrency|reliability(?: ?(?:&|and|/) ?observability)?"
    r"|observability|security|app ?sec)(?: ?\([^()\n]{0,20}\))?\s*(?:[:|]|\s[-–—]\s|[-–—]\s|$)\s*",
    re.IGNORECASE,
)
"""A heading that names a competency at the start of the notes ("Security:", "API design -",
"Databases (deep dive):"): many scorecards are written under one. The model learnt the
competencies' names from notes that praise a competency by name ("good security
knowledge"): "security" weighs -4.1 against a red flag, and "Concurrency:" before a note
that shows one hid it."""


BOTTOM_LINE_QUESTION: Final = gated(
    r"\b(hire|hiring|(meets?|clears?|at|above) (the |our )?bar|ready|senior enough|strong yes|a yes)\b", re.IGNORECASE
)
"""A question the interviewer asks about the bottom line ("Meets the bar?", "Would I hire
her?", "Ready for senior?"): its answer is the verdict, not its words."""


CRITERION_ANSWERED_NO: Final = gated(
    r"^[ \t]{0,8}(?:[-*\u2022>][ \t]{0,3})?"
    r"(?!(aware|knows?|knew|identified|spotted|recogni[sz]ed|understands?|understood|explained|mentioned|raised|"
    r"can explain|could explain|self-corrected|concerns?|strengths?|weaknesses|red flags?|notes?|overall)\b)"
    r"(?![^:\n]{0,60}\b(needed|required|necessary|warranted|worth)\b)(?P<criterion>[^:\n.;!?]{6,90}?)"
    r":[ \t]{0,3}(?:no|nope)\b(?=[ \t]{0,3}(?:[.,;!\u2014\u2013]|-(?![\w-])|$))",
    re.IGNORECASE | re.MULTILINE,
)
"""A criterion pasted from a checklist, on a line of its own, answered no ("Stores passwords
in plain text: no.", "Idempotent retries: no - plain retries, no key"): its words are the
checklist's, and the answer says whether the candidate showed it. Not a criterion of what the
candidate noticed or knew ("Aware of the N+1 problem: no": a gap, read as written), a heading
of the interviewer's ("Concerns: no"), a design question ("Locking required for the counter:
no - atomic increment"), nor a "no-brainer"."""


RETRO_LABEL: Final = gated(
    r"(?:^|(?<=[.!?;\n])|(?<=[.!?;] )|(?<=[.!?;]  ))[ \t]{0,8}(?:[-*\u2022>][ \t]{0,3})?"
    r"(?a:(?P<label>start|stop|continue|keep))(?:[ \t]{1,3}doing)?[ \t]{0,2}:"
    # not a time ("Start: 14:00"), "Keep: in mind ...", nor the candidate's own first steps
    # told under the label ("Start: she began by hashing ...")
    r"(?![ \t]{0,3}(?:\d{1,2}[:.h]\d{2}\b|in mind\b"
    r"|(?:he|she|they|the candidate|candidate)\s{1,3}(?:began|started|opened|kicked off|first)\b))",
    re.IGNORECASE,
)
"""A label of a retrospective ("Start: ...", "Stop: ...", "Continue: ...", "Keep doing: ..."):
what the candidate should start doing, stop doing, keep doing."""
_OTHER_LABEL: Final = gated(
    r"(?:^|(?<=[.!?;\n])|(?<=[.!?;] )|(?<=[.!?;]  ))[ \t]{0,8}(?:[-*\u2022>][ \t]{0,3})?[a-z][a-z ]{1,24}:(?![/\d])",
    re.IGNORECASE,
)
"""A label of any other kind ("Overall:", "Verdict:"): where a retro's last section ends."""


def retro_sections(notes: str) -> list[tuple[str, int, int]]:
    """A note written as a retrospective for the candidate, in sections: (label, start, end),
    "start", "stop" or "continue" ("keep" is "continue"). What a "Start:" line names is what the
    candidate did not show ("Start: an Idempotency-Key header"), what a "Stop:" line tells is
    what they did ("Stop: @Async on everything with the default executor"); a "Stop:" with
    nothing to stop (`_NOTHING_TO_STOP`) is "nothing", to the end of those words. Round 107's
    retro voice, unseen, read 84 % of its verdicts right and 59 % of its red flags.

    A retro has a "Continue:" (or "Keep:") beside a "Start:" or a "Stop:", or a "Start:" and a
    "Stop:" with nothing to stop: "Start: claim a job ... Stop: release the lease" alone is a
    design's lifecycle, "Start: 14:00. Stop: 14:45." a timeline. A section runs to the next
    label of any kind or the end of its line (a label alone on its line: to the end of the
    bullets under it), not over what the note says after the retro."""
    if ":" not in notes:
        return []
    lowered = notes.lower()  # the label's letters fold as ASCII (`(?a:...)`), as `lower` folds them
    if ("start" in lowered) + ("stop" in lowered) + ("continue" in lowered or "keep" in lowered) < 2:
        return []  # what the search below finds, for a fraction of its cost: most notes
    labels = list(RETRO_LABEL.finditer(notes))
    kinds = [found.group("label").lower().replace("keep", "continue") for found in labels]
    if len(set(kinds)) < 2:
        return []
    bounds = sorted({found.start() for found in _OTHER_LABEL.finditer(notes)} | {found.start() for found in labels})
    sections = []
    for kind, found in zip(kinds, labels, strict=True):
        end = next((bound for bound in bounds if bound > found.start()), len(notes))
        end = min(end, _line_end(notes, found.end()))
        nothing = _NOTHING_TO_STOP.match(notes, found.end(), end) if kind == "stop" else None
        sections.append(("nothing", found.start(), nothing.end()) if nothing else (kind, found.start(), end))
    found_kinds = {kind for kind, _, _ in sections}
    if "continue" in found_kinds or {"start", "nothing"} <= found_kinds:
        return sections
    return []


_HYPOTHESIS_LABEL: Final = gated(
    r"(?:^|(?<=\n))[ \t]{0,8}(?:[-*\u2022][ \t]{0,3})?(?:H\d{0,2}|Hyp|Hypothesis|HYPOTHESIS)[ \t]{0,2}:(?![/\d])"
)
_HYPOTHESIS_HINTS: Final = ("H:", "H1:", "H2:", "H3:", "Hyp:", "ypothesis", "YPOTHESIS")
_TEST_LABEL: Final = gated(
    r"(?:^|(?<=[.!?;\n])|(?<=[.!?;] ))[ \t]{0,8}(?:[-*\u2022][ \t]{0,3})?(?:test|observed|observation|result|conclusion|outcome|evidence)s?[ \t]{0,2}:",
    re.IGNORECASE,
)
"""The labels of a test's other parts: a hypothesis is one only beside them (not a transcript's
"H:" for a speaker, nor the candidate's own "Hypothesis: pool exhaustion, confirmed ...")."""


def hypothesis_sections(notes: str) -> list[tuple[int, int]]:
    """Where a note written as a hypothesis test states its hypothesis ("H: candidate can reason
    about isolation levels. Test: ... Observed: ... Result: not supported."): the interviewer's
    words of what the test looks for, in the rubric's own terms, not what the candidate showed.
    Each runs from its label at a line's start to the next label of any kind or its line's end.
    Round 112's hypothesis writer, unseen: two weak notes read strong on their "H:" lines."""
    if ":" not in notes or not any(hint in notes for hint in _HYPOTHESIS_HINTS):
        return []  # what the search below finds, without searching: nearly every note
    labels = list(_HYPOTHESIS_LABEL.finditer(notes))
    if not labels or not any(test.start() > labels[0].end() for test in _TEST_LABEL.finditer(notes)):
        return []
    bounds = sorted({found.start() for found in _OTHER_LABEL.finditer(notes)})
    sections = []
    for found in labels:
        after = bisect.bisect_right(bounds, found.end())
        end = bounds[after] if after < len(bounds) else len(notes)
        sections.append((found.start(), min(end, _line_end(notes, found.end()))))
    return sections


def _line_end(notes: str, start: int) -> int:
    """Where the line from `start` ends; for a label alone on its line, where the bullets
    under it end."""
    end = notes.find("\n", start)
    if end < 0:
        return len(notes)
    if notes[start:end].strip():
        return end
    for bullet in _BULLET_LINE.finditer(notes, end + 1):
        if bullet.start() != end + 1:
            break
        end = bullet.end()
    return end


_BULLET_LINE: Final = gated(r"[ \t]{0,8}[-*\u2022][^\n]*")
_NOTHING_TO_STOP: Final = gated(
    r"[ \t]{0,3}(?:[-\u2013\u2014]{1,2}[ \t]{0,2})?"
    r"(?:nothing|none|n/?a|nada|not (?:much|a thing|really)|no concerns?|can.?t think of (?:anything|much)"
    r"|nothing (?:much|major|really|here|significant|serious|comes to mind|to (?:flag|stop|report|add|speak of)"
    r"|(?:i|we).?d (?:flag|stop|change))|[-\u2013\u2014]{1,2})"
    r"(?=[ \t]{0,2}(?:[.;,!:\n\u2013\u2014-]|$))",
    re.IGNORECASE,
)
"""A "Stop:" line with nothing to stop ("Stop: nothing.", "Stop: - not much, ...", "Stop: nothing
- she already stopped ..."): praise, and what follows is not a practice to stop."""


def _ends_the_no(notes: str, clause_end: int, no_end: int) -> bool:
    """Whether a clause ends with a criterion's "no" and what punctuates it."""
    return no_end <= clause_end and not notes[no_end:clause_end].strip(" \t.,;!")


_COLON_NO: Final = gated(r":[ \t]{0,3}no", re.IGNORECASE)
"""What every `CRITERION_ANSWERED_NO` holds: searched first, since it starts with a literal
the regex engine skips to, where the criterion's pattern is tried at every line (a fifth of
its cost on a note without one)."""


def _answered_no(notes: str) -> list[re.Match[str]]:
    if ":" not in notes or _COLON_NO.search(notes) is None:
        return []
    return list(CRITERION_ANSWERED_NO.finditer(notes))


def criteria_answered_no(notes: str) -> list[tuple[int, int, int]]:
    """Each criterion answered no in `notes` (`CRITERION_ANSWERED_NO`): where its words start
    and end, and where its "no" ends."""
    return [(*found.span("criterion"), found.end()) for found in _answered_no(notes)]


def without_opening(notes: str, clauses: list[Clause]) -> list[Clause]:
    """`clauses` as the notes model reads them: without a `HEADING` at the start of the first
    (the clause starts after it, or goes when it holds nothing else), and without the
    interviewer's opening question ("How would you stop two workers taking the same job?"
    pasted above the notes: its words are the exercise's, not the candidate's; the lexicons
    never read a question as evidence). A note with questions further on keeps them all: a
    dialogue ("Q: prod is throwing errors, what do you do? A: add console.log ... Q: where
    does the output go?") or a note of questions ("Would I trust him with the ledger? Not
    yet.") says what it means with them.
    Leaving a quarter of `dev`'s voices out at a time, with a question before each of their
    notes 98.6 % of verdicts were right and 97.0 % of red flags found; skipping it, 99.0 /
    97.6 %, and as written 99.1 / 98.0 % either way (within the retraining's noise). Skipping
    an opening "Asked: ..." or "Scenario: ..." without a question mark as well: no better.
    Nor a question about the bottom line (`BOTTOM_LINE_QUESTION`) anywhere, nor a retro's
    "Start:" lines."""
    if clauses and clauses[0].question:
        answer = next((i for i, clause in enumerate(clauses) if not clause.question), len(clauses))
        if answer < len(clauses) and not any(clause.question for clause in clauses[answer:]):
            clauses = clauses[answer:]
    if any(clause.question for clause in clauses):
        # "Good on indexes. Meets the bar? Not really.": the question's "meets the bar" is
        # the interviewer asking, and its answer says what they think.
        clauses = [c for c in clauses if not (c.question and BOTTOM_LINE_QUESTION.search(notes, c.start, c.end))]
    if ":" in notes and clauses:
        # "Has never considered concurrency: no.": the checklist's words, and no answer
        # beyond the no; the lexicons read what the no says of them.
        answered = [found.span() for found in _answered_no(notes)]
        clauses = [
            c
            for c in clauses
            if not any(start <= c.start and _ends_the_no(notes, c.end, end) for start, end in answered)
        ]
        # "Start: a bounded executor with a rejection policy": the interviewer's prescription
        # in a retro (`retro_sections`), in an expert's words the candidate did not say.
        prescribed = [(start, end) for label, start, end in retro_sections(notes) if label == "start"]
        if prescribed:
            clauses = [c for c in clauses if not any(start <= c.start < end for start, end in prescribed)]
    if not clauses:
        return clauses
    first = clauses[0]
    heading = HEADING.match(notes, first.start, first.end)
    if heading is None or heading.end() == first.start:
        return clauses
    if heading.end() >= first.end:
        return clauses[1:]
    return [first._replace(start=heading.end()), *clauses[1:]]
